package dev.mcpstdio.process.sandbox;

import java.io.IOException;
import java.net.Socket;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * The HTTP side of the proxy: {@code CONNECT} opens a tunnel, an absolute-form
 * {@code http://} request goes to its origin in origin form; a host the policy refuses
 * gets 403 with the policy's reason, one that cannot be reached 502.
 */
final class HttpProxyProtocol {

	private final ProxyPolicy policy;

	private final Tunnel tunnel;

	HttpProxyProtocol(ProxyPolicy policy, Tunnel tunnel) {
		this.policy = policy;
		this.tunnel = tunnel;
	}

	/**
	 * Serves one connection.
	 * @param client the client's connection
	 * @param in what the client sent, not yet read
	 * @throws IOException if the client goes away
	 */
	void serve(SocketChannel client, RequestReader in) throws IOException {
		String header = in.header();
		in.requestRead();
		HttpRequestHead head;
		try {
			head = HttpRequestHead.parse(header);
		}
		catch (IllegalArgumentException ex) {
			respond(client, "400 Bad Request", String.valueOf(ex.getMessage()));
			return;
		}
		ProxyPolicy.Decision decision = this.policy.decide(head.host(), head.port());
		if (decision.verdict() == ProxyPolicy.Verdict.REFUSED) {
			respond(client, "403 Forbidden", decision.reason());
			return;
		}
		if (decision.verdict() == ProxyPolicy.Verdict.UNRESOLVED) {
			respond(client, "502 Bad Gateway", "cannot connect to " + head.authority() + ": " + decision.reason());
			return;
		}
		Socket target;
		try {
			target = Tunnel.open(decision.addresses(), head.port());
		}
		catch (IOException ex) {
			respond(client, "502 Bad Gateway", "cannot connect to " + head.authority() + ": " + ex.getMessage());
			return;
		}
		try (target) {
			if (head.isConnect()) {
				Tunnel.write(client, "HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
			}
			else {
				target.getOutputStream().write(head.originForm());
			}
			this.tunnel.relay(client, in.rest(), target);
		}
	}

	private static void respond(SocketChannel client, String status, String text) throws IOException {
		byte[] body = (text + "\n").getBytes(StandardCharsets.UTF_8);
		Tunnel.write(client, ("HTTP/1.1 " + status + "\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: "
				+ body.length + "\r\nConnection: close\r\n\r\n")
			.getBytes(StandardCharsets.US_ASCII));
		Tunnel.write(client, body);
	}

}
