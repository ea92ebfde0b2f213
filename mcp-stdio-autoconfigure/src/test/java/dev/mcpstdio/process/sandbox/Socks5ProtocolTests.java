package dev.mcpstdio.process.sandbox;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The SOCKS5 side, through a proxy whose resolver answers from a map, with an echo server
 * on 127.0.0.1.
 */
@Timeout(30)
class Socks5ProtocolTests {

	private final Map<String, String> names = Map.of("localhost", "127.0.0.1", "a.rebind.test", "127.0.0.1");

	private ProxySockets.Echo target;

	private DomainProxy proxy;

	@BeforeEach
	void start() throws IOException {
		this.target = new ProxySockets.Echo(InetAddress.getLoopbackAddress());
		HostResolver resolver = (host) -> {
			String address = this.names.get(host);
			if (address == null) {
				if (host.endsWith(".test")) {
					throw new UnknownHostException(host);
				}
				return List.of(InetAddress.getByName(host)); // an IP literal: no lookup
			}
			return List.of(InetAddress.getByName(address));
		};
		this.proxy = new DomainProxy(Files.createTempDirectory("mcp-stdio-proxy-test-"),
				new ProxyPolicy("socks",
						new DomainRules(List.of("*", "localhost", "127.0.0.1"), List.of("denied.test")), resolver),
				4, Duration.ofSeconds(10), null);
	}

	@AfterEach
	void stop() throws IOException {
		this.proxy.close();
		this.target.close();
	}

	@Test
	void nameWrittenInAllowedDomainsIsRelayed() throws IOException {
		try (SocketChannel client = ProxySockets.connect(this.proxy)) {
			ProxySockets.socks(client, "localhost", this.target.port());
			assertThat(ProxySockets.socksReply(client)).isZero();
			ProxySockets.send(client, "socks\n");
			assertThat(ProxySockets.receiveAll(client)).isEqualTo("echo socks\n");
		}
	}

	@Test
	void ipv4AddressWrittenInAllowedDomainsIsRelayed() throws IOException {
		try (SocketChannel client = ProxySockets.connect(this.proxy)) {
			ProxySockets.socks(client, 1, 1, new byte[] { 127, 0, 0, 1 }, this.target.port());
			assertThat(ProxySockets.socksReply(client)).isZero();
			ProxySockets.send(client, "v4\n");
			assertThat(ProxySockets.receiveAll(client)).isEqualTo("echo v4\n");
		}
	}

	@Test
	void wildcardNameThatResolvesToLoopbackIsNotAllowedByRuleset() throws IOException {
		assertThat(reply(1, 3, name("a.rebind.test"))).isEqualTo(2);
	}

	@Test
	void addressUnderAnyThatIsNotPublicIsNotAllowedByRuleset() throws IOException {
		assertThat(reply(1, 1, new byte[] { 127, 0, 0, 2 })).isEqualTo(2);
		assertThat(reply(1, 1, new byte[] { (byte) 169, (byte) 254, (byte) 169, (byte) 254 })).isEqualTo(2);
		byte[] mapped = new byte[16];
		mapped[10] = -1;
		mapped[11] = -1;
		mapped[12] = 127;
		mapped[15] = 2;
		assertThat(reply(1, 4, mapped)).isEqualTo(2);
		byte[] loopback = new byte[16];
		loopback[15] = 1;
		assertThat(reply(1, 4, loopback)).isEqualTo(2);
	}

	@Test
	void deniedNameIsNotAllowedByRuleset() throws IOException {
		assertThat(reply(1, 3, name("denied.test"))).isEqualTo(2);
	}

	@Test
	void nameThatDoesNotResolveIsHostUnreachable() throws IOException {
		assertThat(reply(1, 3, name("gone.test"))).isEqualTo(4);
	}

	@Test
	void targetThatDoesNotAnswerIsConnectionRefused() throws IOException {
		try (SocketChannel client = ProxySockets.connect(this.proxy)) {
			ProxySockets.socks(client, "localhost", ProxySockets.closedPort());
			assertThat(ProxySockets.socksReply(client)).isEqualTo(5);
		}
	}

	@Test
	void commandOtherThanConnectIsNotSupported() throws IOException {
		assertThat(reply(2, 3, name("localhost"))).isEqualTo(7);
	}

	private int reply(int command, int addressType, byte[] address) throws IOException {
		try (SocketChannel client = ProxySockets.connect(this.proxy)) {
			ProxySockets.socks(client, command, addressType, address, this.target.port());
			return ProxySockets.socksReply(client);
		}
	}

	private static byte[] name(String host) {
		byte[] name = new byte[host.length() + 1];
		name[0] = (byte) host.length();
		System.arraycopy(host.getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, name, 1, host.length());
		return name;
	}

}
