package dev.mcpstdio.process.sandbox;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * The SOCKS5 side of the proxy (RFC 1928, no authentication, {@code CONNECT} only): a
 * host the policy refuses gets reply 2 ("connection not allowed by ruleset"), one that
 * does not resolve 4 ("host unreachable"), one that does not answer 5 ("connection
 * refused").
 */
final class Socks5Protocol {

	/** The first byte a SOCKS5 client sends. */
	static final int VERSION = 5;

	private static final byte SUCCEEDED = 0;

	private static final byte NOT_ALLOWED = 2;

	private static final byte HOST_UNREACHABLE = 4;

	private static final byte CONNECTION_REFUSED = 5;

	private static final byte COMMAND_NOT_SUPPORTED = 7;

	private final ProxyPolicy policy;

	private final Tunnel tunnel;

	Socks5Protocol(ProxyPolicy policy, Tunnel tunnel) {
		this.policy = policy;
		this.tunnel = tunnel;
	}

	/**
	 * Serves one connection.
	 * @param client the client's connection
	 * @param in what the client sent, not yet read
	 * @throws IOException if the client goes away or sends no SOCKS5 request
	 */
	void serve(SocketChannel client, RequestReader in) throws IOException {
		in.read(1);
		in.read(in.read(1)[0] & 0xff); // the methods: only "no authentication" is offered
		Tunnel.write(client, new byte[] { VERSION, 0 });
		byte[] request = in.read(4);
		String host = switch (request[3]) {
			case 1 -> InetAddress.getByAddress(in.read(4)).getHostAddress();
			case 3 -> new String(in.read(in.read(1)[0] & 0xff), StandardCharsets.US_ASCII);
			case 4 -> InetAddress.getByAddress(in.read(16)).getHostAddress();
			default -> throw new IOException("unknown SOCKS address type " + request[3]);
		};
		byte[] portBytes = in.read(2);
		int port = ((portBytes[0] & 0xff) << 8) | (portBytes[1] & 0xff);
		in.requestRead();
		if (request[1] != 1) {
			reply(client, COMMAND_NOT_SUPPORTED);
			return;
		}
		ProxyPolicy.Decision decision = this.policy.decide(host, port);
		if (decision.verdict() != ProxyPolicy.Verdict.ALLOWED) {
			reply(client, (decision.verdict() == ProxyPolicy.Verdict.REFUSED) ? NOT_ALLOWED : HOST_UNREACHABLE);
			return;
		}
		Socket target;
		try {
			target = Tunnel.open(decision.addresses(), port);
		}
		catch (IOException ex) {
			reply(client, CONNECTION_REFUSED);
			return;
		}
		try (target) {
			reply(client, SUCCEEDED);
			this.tunnel.relay(client, in.rest(), target);
		}
	}

	private static void reply(SocketChannel client, byte code) throws IOException {
		Tunnel.write(client, new byte[] { VERSION, code, 0, 1, 0, 0, 0, 0, 0, 0 });
	}

}
