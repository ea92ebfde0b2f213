package dev.mcpstdio.process.sandbox;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The proxy as it runs, resolving with the JDK's resolver, which reads the names of
 * {@code rebind.hosts} (surefire's {@code hosts-file} execution sets
 * {@code jdk.net.hosts.file}, read once per JVM): real HTTP servers on 127.0.0.1 and
 * 127.0.0.2 (Linux routes all of 127/8 on lo), fetched through the proxy's Unix socket.
 * Nothing is connected to but the loopback.
 */
@Timeout(30)
@EnabledIfSystemProperty(named = "jdk.net.hosts.file", matches = ".*rebind\\.hosts")
class DomainProxyHostsFileTests {

	private final List<String> seen = new ArrayList<>();

	private HttpServer first;

	private HttpServer second;

	private DomainProxy proxy;

	@BeforeEach
	void start() throws IOException {
		this.first = origin("127.0.0.1");
		this.second = origin("127.0.0.2");
		this.proxy = Proxies.start("rebind", new DomainRules(List.of("*.rebind.test", "localhost"), List.of()));
	}

	@AfterEach
	void stop() {
		this.proxy.close();
		this.first.stop(0);
		this.second.stop(0);
	}

	@Test
	void hostsFileResolvesTheTestNames() throws IOException {
		assertThat(InetAddress.getAllByName("two.rebind.test")).extracting(InetAddress::getHostAddress)
			.containsExactly("127.0.0.1", "127.0.0.2");
	}

	@Test
	void wildcardNameThatResolvesToLoopbackIsRefused() throws IOException {
		assertThat(fetch("a.rebind.test", this.first)).startsWith("HTTP/1.1 403 Forbidden")
			.contains("the MCP stdio sandbox of server 'rebind' does not allow 'a.rebind.test' (127.0.0.1, loopback):"
					+ " a name matched by a wildcard of sandbox.network.allowed-domains reaches public addresses only;"
					+ " write 'a.rebind.test' itself in allowed-domains to let it reach this address");
		assertThat(socks("a.rebind.test", this.first)).isEqualTo(2);
		assertThat(this.seen).isEmpty();
	}

	@Test
	void wildcardNameThatResolvesTo127001And127002IsRefused() throws IOException {
		assertThat(fetch("two.rebind.test", this.second)).startsWith("HTTP/1.1 403 Forbidden")
			.contains("'two.rebind.test' (127.0.0.1, loopback; 127.0.0.2, loopback)");
		assertThat(fetch("b.rebind.test", this.second)).startsWith("HTTP/1.1 403 Forbidden")
			.contains("'b.rebind.test' (127.0.0.2, loopback)");
		assertThat(socks("two.rebind.test", this.first)).isEqualTo(2);
		assertThat(socks("b.rebind.test", this.second)).isEqualTo(2);
		assertThat(this.seen).isEmpty();
	}

	@Test
	void localhostNamedLiterallyIsFetched() throws IOException {
		assertThat(fetch("localhost", this.first)).startsWith("HTTP/1.1 200").endsWith("from 127.0.0.1");
		assertThat(this.seen).containsExactly("127.0.0.1");
	}

	@Test
	void wildcardNameWrittenLiterallyIsFetchedFromItsLoopbackAddress() throws IOException {
		this.proxy.close();
		this.proxy = Proxies.start("rebind", new DomainRules(List.of("*.rebind.test", "b.rebind.test"), List.of()));
		assertThat(fetch("b.rebind.test", this.second)).startsWith("HTTP/1.1 200").endsWith("from 127.0.0.2");
		assertThat(fetch("a.rebind.test", this.first)).startsWith("HTTP/1.1 403 Forbidden");
		assertThat(this.seen).containsExactly("127.0.0.2");
	}

	@Test
	void wildcardNameWithPublicAndPrivateAddressesKeepsThePublicOneWithoutConnecting() throws IOException {
		ProxyPolicy policy = new ProxyPolicy("rebind", new DomainRules(List.of("*"), List.of("denied.test")),
				HostResolver.SYSTEM);
		assertThat(policy.decide("mixed.rebind.test", 443).addresses())
			.containsExactly(InetAddress.getByName("93.184.215.14"));
		assertThat(policy.decide("metadata.rebind.test", 80).reason()).contains("(169.254.169.254, link-local)");
	}

	private String fetch(String host, HttpServer origin) throws IOException {
		try (SocketChannel client = ProxySockets.connect(this.proxy)) {
			ProxySockets.send(client, "GET http://" + host + ":" + origin.getAddress().getPort()
					+ "/ HTTP/1.1\r\nHost: " + host + "\r\n\r\n");
			return ProxySockets.receiveAll(client);
		}
	}

	private int socks(String host, HttpServer origin) throws IOException {
		try (SocketChannel client = ProxySockets.connect(this.proxy)) {
			ProxySockets.socks(client, host, origin.getAddress().getPort());
			return ProxySockets.socksReply(client);
		}
	}

	private HttpServer origin(String address) throws IOException {
		HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(address), 0), 0);
		server.createContext("/", (exchange) -> {
			synchronized (this.seen) {
				this.seen.add(address);
			}
			byte[] body = ("from " + address).getBytes(StandardCharsets.UTF_8);
			exchange.sendResponseHeaders(200, body.length);
			exchange.getResponseBody().write(body);
			exchange.close();
		});
		server.start();
		return server;
	}

}
