package dev.mcpstdio.process.sandbox;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * The filtering proxy over its real Unix socket, with a real target: an echo server on
 * 127.0.0.1.
 */
@Timeout(30)
class DomainProxyTests {

	private final List<DomainProxy> proxies = new ArrayList<>();

	private DomainProxy proxy;

	private ProxySockets.Echo target;

	@BeforeEach
	void start() throws IOException {
		this.proxy = Proxies.start("proxied", new DomainRules(List.of("localhost"), List.of()));
		this.target = new ProxySockets.Echo(InetAddress.getLoopbackAddress());
	}

	@AfterEach
	void stop() throws IOException {
		this.proxy.close();
		this.proxies.forEach(DomainProxy::close);
		this.target.close();
	}

	@Test
	void connectToAnAllowedHostIsRelayed() throws IOException {
		try (SocketChannel client = ProxySockets.connect(this.proxy)) {
			ProxySockets.send(client, "CONNECT localhost:" + this.target.port() + " HTTP/1.1\r\nHost: x\r\n\r\n");
			assertThat(ProxySockets.receive(client, 39)).isEqualTo("HTTP/1.1 200 Connection established\r\n\r\n");
			ProxySockets.send(client, "hello\n");
			assertThat(ProxySockets.receiveAll(client)).isEqualTo("echo hello\n");
		}
	}

	@Test
	void connectToAHostNotAllowedIsForbiddenNamingTheProperty() throws IOException {
		try (SocketChannel client = ProxySockets.connect(this.proxy)) {
			ProxySockets.send(client, "CONNECT 127.0.0.1:" + this.target.port() + " HTTP/1.1\r\n\r\n");
			assertThat(ProxySockets.receiveAll(client)).startsWith("HTTP/1.1 403 Forbidden")
				.contains("server 'proxied'", "'127.0.0.1'", "sandbox.network.allowed-domains");
		}
	}

	@Test
	void socksConnectToAnAllowedNameIsRelayedAndOtherwiseRefusedByRuleset() throws IOException {
		try (SocketChannel client = ProxySockets.connect(this.proxy)) {
			ProxySockets.socks(client, "localhost", this.target.port());
			assertThat(ProxySockets.socksReply(client)).isZero();
			ProxySockets.send(client, "socks\n");
			assertThat(ProxySockets.receiveAll(client)).isEqualTo("echo socks\n");
		}
		try (SocketChannel client = ProxySockets.connect(this.proxy)) {
			ProxySockets.socks(client, "example.com", this.target.port());
			assertThat(ProxySockets.socksReply(client)).isEqualTo(2);
		}
	}

	@Test
	void addressLiteralUnderAnyIsRefusedAsLoopback() throws IOException {
		DomainProxy any = started(Proxies.start("any", new DomainRules(List.of("*"), List.of("denied.test"))));
		try (SocketChannel client = ProxySockets.connect(any)) {
			ProxySockets.send(client, "CONNECT 127.0.0.1:" + this.target.port() + " HTTP/1.1\r\n\r\n");
			assertThat(ProxySockets.receiveAll(client)).startsWith("HTTP/1.1 403 Forbidden")
				.contains("server 'any' does not allow '127.0.0.1' (127.0.0.1, loopback)",
						"sandbox.network.allowed-domains reaches public addresses only");
		}
	}

	@Test
	void proxyConnectsToTheAddressItResolvedOnce() throws IOException {
		AtomicInteger lookups = new AtomicInteger();
		HostResolver rebinding = (host) -> List
			.of(InetAddress.getByName((lookups.incrementAndGet() == 1) ? "127.0.0.1" : "127.0.0.2"));
		DomainProxy rebound = started("once", rules("db.test"), rebinding, 4, Duration.ofSeconds(10), null);
		try (SocketChannel client = ProxySockets.connect(rebound)) {
			ProxySockets.send(client, "CONNECT db.test:" + this.target.port() + " HTTP/1.1\r\n\r\n");
			assertThat(ProxySockets.receive(client, 39)).isEqualTo("HTTP/1.1 200 Connection established\r\n\r\n");
			ProxySockets.send(client, "once\n");
			assertThat(ProxySockets.receiveAll(client)).isEqualTo("echo once\n");
		}
		assertThat(lookups).hasValue(1);
	}

	@Test
	void wildcardNameThatResolvesToLoopbackIsRefusedWithoutASecondLookup() throws IOException {
		AtomicInteger lookups = new AtomicInteger();
		HostResolver rebinding = (host) -> List
			.of(InetAddress.getByName((lookups.incrementAndGet() == 1) ? "127.0.0.1" : "8.8.8.8"));
		DomainProxy rebound = started("rebound", rules("*.rebind.test"), rebinding, 4, Duration.ofSeconds(10), null);
		try (SocketChannel client = ProxySockets.connect(rebound)) {
			ProxySockets.send(client, "CONNECT a.rebind.test:" + this.target.port() + " HTTP/1.1\r\n\r\n");
			assertThat(ProxySockets.receiveAll(client)).startsWith("HTTP/1.1 403 Forbidden")
				.contains("'a.rebind.test' (127.0.0.1, loopback)");
		}
		assertThat(lookups).hasValue(1);
	}

	@Test
	void connectionPastTheCapIsClosedAtOnceAndTheThreadsStayBounded() throws IOException {
		DomainProxy capped = started("capped", rules("localhost"), HostResolver.SYSTEM, 2, Duration.ofMinutes(1), null);
		try (SocketChannel first = ProxySockets.connect(capped); SocketChannel second = ProxySockets.connect(capped)) {
			ProxySockets.send(first, "CONNECT local");
			ProxySockets.send(second, "CONNECT local");
			for (int i = 0; i < 10; i++) {
				try (SocketChannel past = ProxySockets.connect(capped)) {
					assertThat(past.read(ByteBuffer.allocate(1))).isEqualTo(-1);
				}
			}
			assertThat(Thread.getAllStackTraces().keySet())
				.filteredOn((thread) -> thread.getName().startsWith("mcp-stdio-proxy-capped-"))
				.hasSizeBetween(2, 4);
		}
		// the places come back when their connections end
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			try (SocketChannel client = ProxySockets.connect(capped)) {
				ProxySockets.send(client, "CONNECT example.com:443 HTTP/1.1\r\n\r\n");
				assertThat(ProxySockets.receiveAll(client)).startsWith("HTTP/1.1 403 Forbidden");
			}
		});
	}

	@Test
	void connectionThatSendsNoCompleteRequestInTimeIsClosed() throws IOException {
		DomainProxy hasty = started("hasty", rules("localhost"), HostResolver.SYSTEM, 4, Duration.ofMillis(200), null);
		try (SocketChannel http = ProxySockets.connect(hasty); SocketChannel socks = ProxySockets.connect(hasty)) {
			ProxySockets.send(http, "CONNECT localhost:" + this.target.port() + " HTTP/1.1\r\n");
			ProxySockets.send(socks, "\u0005\u0001\u0000");
			assertThat(ProxySockets.receiveAll(http)).isEmpty();
			assertThat(ProxySockets.receiveAll(socks)).isEqualTo("\u0005\u0000");
		}
	}

	@Test
	void deadlineThatPassesAfterTheRequestLeavesTheTunnelOpen() throws IOException {
		HandFiredDeadlines deadlines = new HandFiredDeadlines();
		DomainProxy proxy = started("fired", rules("localhost"), HostResolver.SYSTEM, 4, Duration.ofSeconds(1),
				deadlines);
		try (SocketChannel client = ProxySockets.connect(proxy)) {
			ProxySockets.send(client, "CONNECT localhost:" + this.target.port() + " HTTP/1.1\r\n\r\n");
			assertThat(ProxySockets.receive(client, 39)).isEqualTo("HTTP/1.1 200 Connection established\r\n\r\n");
			deadlines.fireAll();
			ProxySockets.send(client, "still\n");
			assertThat(ProxySockets.receiveAll(client)).isEqualTo("echo still\n");
		}
	}

	@Test
	void deadlineThatPassesBeforeTheRequestClosesTheConnection() throws IOException {
		HandFiredDeadlines deadlines = new HandFiredDeadlines();
		DomainProxy proxy = started("fired", rules("localhost"), HostResolver.SYSTEM, 4, Duration.ofSeconds(1),
				deadlines);
		try (SocketChannel client = ProxySockets.connect(proxy)) {
			await().atMost(Duration.ofSeconds(10)).until(() -> deadlines.scheduled() == 1);
			deadlines.fireAll();
			assertThat(client.read(ByteBuffer.allocate(1))).isEqualTo(-1);
		}
	}

	@Test
	void limitsMustBePositive() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> Proxies.start("zero", rules("localhost"), 0, Duration.ofSeconds(1)));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> Proxies.start("zero", rules("localhost"), 1, Duration.ZERO));
	}

	@Test
	void closeRemovesTheSocketAndItsDirectory() {
		assertThat(this.proxy.directory().resolve("proxy.sock")).exists();
		this.proxy.close();
		assertThat(this.proxy.directory()).doesNotExist();
	}

	private DomainProxy started(DomainProxy proxy) {
		this.proxies.add(proxy);
		return proxy;
	}

	private DomainProxy started(String server, DomainRules rules, HostResolver resolver, int maxConnections,
			Duration requestTimeout, @Nullable Deadlines deadlines) throws IOException {
		return started(new DomainProxy(Files.createTempDirectory("mcp-stdio-proxy-test-"),
				new ProxyPolicy(server, rules, resolver), maxConnections, requestTimeout, deadlines));
	}

	private static DomainRules rules(String... allowed) {
		return new DomainRules(List.of(allowed), List.of());
	}

}
