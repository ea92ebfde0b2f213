package dev.mcpstdio.process.sandbox;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class HttpRequestHeadTests {

	@Test
	void connectNamesHostAndPort() {
		HttpRequestHead head = HttpRequestHead.parse("CONNECT api.example.com:8443 HTTP/1.1\r\nHost: x\r\n");
		assertThat(head.isConnect()).isTrue();
		assertThat(head.host()).isEqualTo("api.example.com");
		assertThat(head.port()).isEqualTo(8443);
		assertThat(head.authority()).isEqualTo("api.example.com:8443");
	}

	@Test
	void connectWithoutPortIsToPort443AndAbsoluteFormTo80() {
		assertThat(HttpRequestHead.parse("CONNECT example.com HTTP/1.1\r\n").port()).isEqualTo(443);
		HttpRequestHead head = HttpRequestHead.parse("GET http://example.com HTTP/1.1\r\n");
		assertThat(head.isConnect()).isFalse();
		assertThat(head.port()).isEqualTo(80);
		assertThat(head.path()).isEqualTo("/");
	}

	@Test
	void ipv6HostKeepsItsBrackets() {
		HttpRequestHead head = HttpRequestHead.parse("GET http://[::1]:8080/a?b HTTP/1.1\r\n");
		assertThat(head.host()).isEqualTo("[::1]");
		assertThat(head.port()).isEqualTo(8080);
		assertThat(head.path()).isEqualTo("/a?b");
		assertThat(HttpRequestHead.parse("CONNECT [::1] HTTP/1.1\r\n").host()).isEqualTo("[::1]");
	}

	@Test
	void originFormDropsProxyAndConnectionHeadersAndEndsTheConnection() {
		HttpRequestHead head = HttpRequestHead.parse("GET HTTP://example.com:81/path HTTP/1.1\r\nHost: example.com\r\n"
				+ "Proxy-Authorization: Basic eA==\r\nConnection: keep-alive\r\nKeep-Alive: 5\r\nAccept: */*\r\n");
		assertThat(new String(head.originForm(), StandardCharsets.ISO_8859_1))
			.isEqualTo("GET /path HTTP/1.1\r\nHost: example.com\r\nAccept: */*\r\nConnection: close\r\n\r\n");
	}

	@Test
	void requestThatIsNoProxyRequestIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> HttpRequestHead.parse("GET /index.html HTTP/1.1\r\n"))
			.withMessage("only CONNECT and absolute http:// requests are proxied");
		assertThatIllegalArgumentException().isThrownBy(() -> HttpRequestHead.parse("hello\r\n"))
			.withMessage("not an HTTP proxy request");
	}

	@Test
	void portThatIsNoPortIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> HttpRequestHead.parse("CONNECT a:http HTTP/1.1\r\n"))
			.withMessage("not a port: 'http'");
		assertThatIllegalArgumentException().isThrownBy(() -> HttpRequestHead.parse("CONNECT a:65536 HTTP/1.1\r\n"))
			.withMessage("not a port: '65536'");
		assertThatIllegalArgumentException().isThrownBy(() -> HttpRequestHead.parse("CONNECT a:0 HTTP/1.1\r\n"))
			.withMessage("not a port: '0'");
	}

}
