package dev.mcpstdio.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * MCP's Streamable HTTP as the gateway tests speak it to a port: initialize, and a POST
 * of a message in a session.
 */
final class GatewayHttp {

	private static final String INITIALIZE = "{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\",\"params\":"
			+ "{\"protocolVersion\":\"2025-11-25\",\"capabilities\":{},\"clientInfo\":{\"name\":\"sample-test\","
			+ "\"version\":\"1\"}}}";

	private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	private final int port;

	GatewayHttp(int port) {
		this.port = port;
	}

	/** Opens a session with the server: its id. */
	String initialize(String server) throws Exception {
		HttpResponse<String> response = post(server, null, INITIALIZE);
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return response.headers().firstValue("Mcp-Session-Id").orElseThrow();
	}

	/** Calls a tool in the session. */
	HttpResponse<String> call(String server, String session, String tool, String arguments) throws Exception {
		return post(server, session, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\""
				+ tool + "\",\"arguments\":" + arguments + "}}");
	}

	/**
	 * Opens the session's GET stream, once it answers 200: completes when the stream
	 * ends.
	 */
	CompletableFuture<Void> openStream(String server, String session) throws Exception {
		HttpResponse<Stream<String>> response = this.http
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/mcp/" + server))
				.header("Accept", "text/event-stream")
				.header("Mcp-Session-Id", session)
				.GET()
				.build(), HttpResponse.BodyHandlers.ofLines());
		assertThat(response.statusCode()).isEqualTo(200);
		return CompletableFuture.runAsync(() -> {
			try (Stream<String> lines = response.body()) {
				lines.forEach((line) -> {
				});
			}
			catch (RuntimeException ex) {
				// the stream broke: it ended
			}
		});
	}

	/** POSTs a message, in a session or (null) none. */
	HttpResponse<String> post(String server, @Nullable String session, String body) throws Exception {
		HttpRequest.Builder request = HttpRequest
			.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/mcp/" + server))
			.timeout(Duration.ofSeconds(60))
			.header("Content-Type", "application/json")
			.header("Accept", "application/json, text/event-stream")
			.POST(HttpRequest.BodyPublishers.ofString(body));
		if (session != null) {
			request.header("Mcp-Session-Id", session);
		}
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

}
