package dev.mcpstdio.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A bare MCP Streamable HTTP client, the same for every HTTP server the benchmarks
 * measure (the gateway and supergateway): JSON-RPC written by hand, posted with the
 * transport's headers through {@code java.net.http} (HTTP/1.1, kept-alive connections),
 * answers read as JSON or as an SSE stream up to its end. Nothing is hidden from the
 * figures: each call returns when the caller has its answer and the response is read
 * whole. Given a token, it sends it on every request as {@code Authorization: Bearer}
 * (row 23).
 */
final class HttpMcpClient {

	static final String PROTOCOL_VERSION = "2025-11-25";

	private static final Duration TIMEOUT = Duration.ofSeconds(60);

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final String INITIALIZE = "{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\",\"params\":"
			+ "{\"protocolVersion\":\"" + PROTOCOL_VERSION + "\",\"capabilities\":{},"
			+ "\"clientInfo\":{\"name\":\"mcp-stdio-benchmarks\",\"version\":\"1\"}}}";

	private static final String INITIALIZED = "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}";

	private final HttpClient http = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	private final URI uri;

	private final String authorization;

	HttpMcpClient(URI uri) {
		this(uri, null);
	}

	/**
	 * A client that sends a bearer token on every request.
	 * @param uri the server's MCP endpoint
	 * @param token the access token, null for none
	 */
	HttpMcpClient(URI uri, String token) {
		this.uri = uri;
		this.authorization = (token != null) ? "Bearer " + token : null;
	}

	URI uri() {
		return this.uri;
	}

	/**
	 * Opens a session: initialize (its answer read), then notifications/initialized
	 * (202).
	 */
	Session open() throws IOException, InterruptedException {
		HttpResponse<InputStream> response = this.http.send(post(null, INITIALIZE),
				HttpResponse.BodyHandlers.ofInputStream());
		String session = response.headers().firstValue("Mcp-Session-Id").orElse(null);
		answer(response, 0);
		if (session == null) {
			throw new IOException("initialize: no Mcp-Session-Id from " + this.uri);
		}
		notify(session, INITIALIZED);
		return new Session(session);
	}

	private void notify(String session, String message) throws IOException, InterruptedException {
		HttpResponse<String> response = this.http.send(post(session, message), HttpResponse.BodyHandlers.ofString());
		if (response.statusCode() != 202) {
			throw new IOException("notification: " + response.statusCode() + " " + response.body());
		}
	}

	private HttpRequest post(String session, String message) {
		HttpRequest.Builder builder = HttpRequest.newBuilder(this.uri)
			.timeout(TIMEOUT)
			.header("Content-Type", "application/json")
			.header("Accept", "application/json, text/event-stream")
			.POST(HttpRequest.BodyPublishers.ofString(message));
		if (session != null) {
			builder.header("Mcp-Session-Id", session).header("MCP-Protocol-Version", PROTOCOL_VERSION);
		}
		return authorized(builder).build();
	}

	private HttpRequest.Builder authorized(HttpRequest.Builder builder) {
		return (this.authorization != null) ? builder.header("Authorization", this.authorization) : builder;
	}

	/**
	 * The answer of the given id, from a JSON body or an SSE stream read to its end.
	 * @throws IOException on another status than 200, an error, or no answer
	 */
	private static JsonNode answer(HttpResponse<InputStream> response, long id) throws IOException {
		try (InputStream body = response.body()) {
			if (response.statusCode() != 200) {
				throw new IOException("HTTP " + response.statusCode() + ": "
						+ new String(body.readAllBytes(), StandardCharsets.UTF_8));
			}
			String type = response.headers().firstValue("Content-Type").orElse("");
			JsonNode answer = null;
			if (type.startsWith("text/event-stream")) {
				BufferedReader reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
				StringBuilder data = new StringBuilder();
				for (String line = reader.readLine(); line != null; line = reader.readLine()) {
					if (line.startsWith("data:")) {
						data.append(line, line.startsWith("data: ") ? 6 : 5, line.length());
					}
					else if (line.isEmpty() && !data.isEmpty()) {
						JsonNode message = json.readTree(data.toString());
						data.setLength(0);
						if (answer == null && message.path("id").asLong(-1) == id && !message.has("method")) {
							answer = message;
						}
					}
				}
			}
			else {
				answer = json.readTree(body);
			}
			if (answer == null) {
				throw new IOException("no answer to request " + id);
			}
			if (!answer.has("result")) {
				throw new IOException("error answer: " + answer);
			}
			return answer;
		}
	}

	/** One client's session with a server. */
	final class Session implements AutoCloseable {

		private final String id;

		private final AtomicLong ids = new AtomicLong();

		private Session(String id) {
			this.id = id;
		}

		String id() {
			return this.id;
		}

		/**
		 * A tools/call of echo, answered.
		 * @return the echoed text's answer, as JSON
		 */
		JsonNode echo(String text) throws IOException, InterruptedException {
			long request = this.ids.incrementAndGet();
			String call = "{\"jsonrpc\":\"2.0\",\"id\":" + request
					+ ",\"method\":\"tools/call\",\"params\":{\"name\":\"echo\",\"arguments\":{\"text\":\"" + text
					+ "\"}}}";
			return answer(HttpMcpClient.this.http.send(post(this.id, call), HttpResponse.BodyHandlers.ofInputStream()),
					request);
		}

		/** Ends the session: DELETE, answered. */
		@Override
		public void close() throws IOException, InterruptedException {
			HttpResponse<String> response = HttpMcpClient.this.http
				.send(authorized(HttpRequest.newBuilder(HttpMcpClient.this.uri)
					.timeout(TIMEOUT)
					.header("Mcp-Session-Id", this.id)
					.header("MCP-Protocol-Version", PROTOCOL_VERSION)
					.DELETE()).build(), HttpResponse.BodyHandlers.ofString());
			if (response.statusCode() != 200 && response.statusCode() != 204) {
				throw new IOException("DELETE: " + response.statusCode() + " " + response.body());
			}
		}

	}

}
