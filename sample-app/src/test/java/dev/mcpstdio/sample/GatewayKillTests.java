package dev.mcpstdio.sample;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A {@code kill -9} of an application whose gateway has sessions open, each with a
 * process of its own, and one on the shared process: none of those processes survives.
 */
class GatewayKillTests {

	private final HttpClient http = HttpClient.newHttpClient();

	@Test
	@EnabledOnOs(OS.LINUX)
	void killMinus9WithGatewaySessionsOpenLeavesNoProcess() throws Exception {
		String marker = "-Dsample.run=" + UUID.randomUUID();
		int port;
		try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			port = free.getLocalPort();
		}
		List<String> command = new ArrayList<>(
				List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
						System.getProperty("java.class.path"), SampleApplication.class.getName(),
						"--server.address=127.0.0.1", "--server.port=" + port, "--mcp.stdio.gateway.enabled=true",
						"--mcp.stdio.gateway.allow-unauthenticated=true",
						"--mcp.stdio.servers.demo.java.jvm-args=-Xmx64m," + marker,
						"--mcp.stdio.servers.demo-session.java.jvm-args=-Xmx64m," + marker,
						"--mcp.stdio.servers.stubborn.java.jvm-args=-Xmx32m," + marker));
		Path output = Files.createTempFile("gateway-kill", ".out");
		Process application = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(output.toFile())
			.start();
		try {
			await().atMost(Duration.ofSeconds(120)).ignoreExceptions().until(() -> initialize(port, "demo") != null);
			for (int i = 0; i < 3; i++) {
				String session = initialize(port, "demo-session");
				assertThat(call(port, "demo-session", session)).contains("5");
			}
			// three sessions' own processes, the shared one, stubborn and its grandchild
			assertThat(Processes.with(marker)).hasSizeGreaterThanOrEqualTo(5);
			application.destroyForcibly().waitFor();
			await().atMost(Duration.ofSeconds(30)).until(() -> Processes.with(marker).isEmpty());
		}
		finally {
			application.destroyForcibly();
			Files.deleteIfExists(output);
		}
	}

	private String initialize(int port, String server) throws Exception {
		HttpResponse<String> response = post(port, server, null,
				"{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":"
						+ "\"initialize\",\"params\":{\"protocolVersion\":\"2025-11-25\",\"capabilities\":{},"
						+ "\"clientInfo\":{\"name\":\"kill-test\",\"version\":\"1\"}}}");
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return response.headers().firstValue("Mcp-Session-Id").orElseThrow();
	}

	private String call(int port, String server, String session) throws Exception {
		return post(port, server, session, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":"
				+ "{\"name\":\"add\",\"arguments\":{\"a\":2,\"b\":3}}}")
			.body();
	}

	private HttpResponse<String> post(int port, String server, String session, String body) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/mcp/" + server))
			.timeout(Duration.ofSeconds(30))
			.header("Content-Type", "application/json")
			.header("Accept", "application/json, text/event-stream")
			.POST(HttpRequest.BodyPublishers.ofString(body));
		if (session != null) {
			request.header("Mcp-Session-Id", session);
		}
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

}
