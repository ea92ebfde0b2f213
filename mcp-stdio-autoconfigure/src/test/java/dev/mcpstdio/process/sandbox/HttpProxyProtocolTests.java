package dev.mcpstdio.process.sandbox;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The HTTP side, through a proxy whose resolver answers from a map, with a real HTTP
 * origin on 127.0.0.1.
 */
@Timeout(30)
class HttpProxyProtocolTests {

	private final AtomicReference<String> seen = new AtomicReference<>();

	private final Map<String, String> names = Map.of("localhost", "127.0.0.1", "a.rebind.test", "127.0.0.1",
			"origin.test", "127.0.0.1");

	private HttpServer origin;

	private DomainProxy proxy;

	@BeforeEach
	void start() throws IOException {
		this.origin = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		this.origin.createContext("/", (exchange) -> {
			this.seen.set(exchange.getRequestURI() + " proxy-authorization="
					+ exchange.getRequestHeaders().getFirst("Proxy-Authorization"));
			byte[] body = "from the origin".getBytes(StandardCharsets.UTF_8);
			exchange.sendResponseHeaders(200, body.length);
			exchange.getResponseBody().write(body);
			exchange.close();
		});
		this.origin.start();
		HostResolver resolver = (host) -> {
			String address = this.names.get(host);
			if (address == null) {
				throw new UnknownHostException(host);
			}
			return List.of(InetAddress.getByName(address));
		};
		this.proxy = new DomainProxy(
				Files.createTempDirectory("mcp-stdio-proxy-test-"), new ProxyPolicy("web",
						new DomainRules(List.of("localhost", "origin.test", "*.rebind.test"), List.of()), resolver),
				4, Duration.ofSeconds(10), null);
	}

	@AfterEach
	void stop() {
		this.proxy.close();
		this.origin.stop(0);
	}

	@Test
	void absoluteFormRequestGoesToItsOriginInOriginForm() throws IOException {
		String response = exchange("GET http://origin.test:" + port() + "/path?q=1 HTTP/1.1\r\nHost: origin.test\r\n"
				+ "Proxy-Authorization: Basic eA==\r\n\r\n");
		assertThat(response).startsWith("HTTP/1.1 200").endsWith("from the origin");
		assertThat(this.seen).hasValue("/path?q=1 proxy-authorization=null");
	}

	@Test
	void wildcardNameThatResolvesToLoopbackIsForbiddenWithItsAddressAndClass() throws IOException {
		String response = exchange("GET http://a.rebind.test:" + port() + "/ HTTP/1.1\r\nHost: a.rebind.test\r\n\r\n");
		assertThat(response).startsWith("HTTP/1.1 403 Forbidden")
			.contains("the MCP stdio sandbox of server 'web' does not allow 'a.rebind.test' (127.0.0.1, loopback):"
					+ " a name matched by a wildcard of sandbox.network.allowed-domains reaches public addresses only;"
					+ " write 'a.rebind.test' itself in allowed-domains to let it reach this address");
		assertThat(this.seen).hasValue(null);
	}

	@Test
	void nameThatDoesNotResolveIsABadGateway() throws IOException {
		assertThat(exchange("CONNECT gone.rebind.test:443 HTTP/1.1\r\n\r\n")).startsWith("HTTP/1.1 502 Bad Gateway")
			.contains("cannot connect to gone.rebind.test:443: cannot resolve 'gone.rebind.test'");
	}

	@Test
	void targetThatDoesNotAnswerIsABadGateway() throws IOException {
		assertThat(exchange("CONNECT localhost:" + ProxySockets.closedPort() + " HTTP/1.1\r\n\r\n"))
			.startsWith("HTTP/1.1 502 Bad Gateway")
			.contains("cannot connect to localhost:");
	}

	@Test
	void requestThatIsNoProxyRequestIsABadRequest() throws IOException {
		assertThat(exchange("GET /index.html HTTP/1.1\r\n\r\n")).startsWith("HTTP/1.1 400 Bad Request")
			.contains("only CONNECT and absolute http:// requests are proxied");
		assertThat(exchange("CONNECT localhost:http HTTP/1.1\r\n\r\n")).startsWith("HTTP/1.1 400 Bad Request")
			.contains("not a port: 'http'");
	}

	private String exchange(String request) throws IOException {
		try (SocketChannel client = ProxySockets.connect(this.proxy)) {
			ProxySockets.send(client, request);
			return ProxySockets.receiveAll(client);
		}
	}

	private int port() {
		return this.origin.getAddress().getPort();
	}

}
