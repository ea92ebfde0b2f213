package dev.mcpstdio.gateway;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import tools.jackson.databind.json.JsonMapper;

/**
 * A bare Streamable HTTP client for the gateway's tests: raw requests and headers, SSE
 * events read as they come.
 */
final class McpHttpClient {

	static final JsonMapper json = JsonMapper.builder().build();

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final String url;

	/** The bearer token every request carries; null for none. */
	private final String token;

	McpHttpClient(int port, String server) {
		this(port, server, null);
	}

	McpHttpClient(int port, String server, String token) {
		this.url = "http://localhost:" + port + "/mcp/" + server;
		this.token = token;
	}

	/** The same client with another bearer token (null for none). */
	McpHttpClient withToken(String token) {
		URI uri = URI.create(this.url);
		return new McpHttpClient(uri.getPort(), uri.getPath().substring(uri.getPath().lastIndexOf('/') + 1), token);
	}

	private HttpRequest.Builder request(URI uri) {
		HttpRequest.Builder builder = HttpRequest.newBuilder(uri);
		if (this.token != null) {
			builder.header("Authorization", "Bearer " + this.token);
		}
		return builder;
	}

	/** A response with its body read whole. */
	record Response(int status, Map<String, List<String>> headers, String body) {

		String header(String name) {
			return this.headers.entrySet()
				.stream()
				.filter((entry) -> entry.getKey().equalsIgnoreCase(name))
				.map((entry) -> entry.getValue().get(0))
				.findFirst()
				.orElse(null);
		}

		Map<String, Object> json() {
			return McpHttpClient.json.readValue(this.body, Map.class);
		}

		/** The messages of an SSE body. */
		List<Event> events() {
			return Event.parse(this.body);
		}

	}

	/** One SSE event. */
	record Event(String id, String data) {

		Map<String, Object> message() {
			return McpHttpClient.json.readValue(this.data, Map.class);
		}

		static List<Event> parse(String body) {
			List<Event> events = new ArrayList<>();
			for (String block : body.split("\n\n")) {
				Event event = of(List.of(block.split("\n")));
				if (event != null) {
					events.add(event);
				}
			}
			return events;
		}

		static Event of(List<String> lines) {
			String id = null;
			StringBuilder data = new StringBuilder();
			for (String line : lines) {
				if (line.startsWith("id:")) {
					id = line.substring(3).trim();
				}
				else if (line.startsWith("data:")) {
					data.append(line.substring(5).trim());
				}
			}
			return (data.length() > 0) ? new Event(id, data.toString()) : null;
		}

	}

	/** An SSE stream read as it comes. */
	static final class EventStream {

		final int status;

		private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();

		private final List<Event> seen = new java.util.concurrent.CopyOnWriteArrayList<>();

		private final CompletableFuture<Void> ended = new CompletableFuture<>();

		private volatile Stream<String> lines;

		EventStream(int status) {
			this.status = status;
		}

		void read(Stream<String> lines) {
			this.lines = lines;
			Thread reader = new Thread(() -> {
				List<String> block = new ArrayList<>();
				try {
					lines.forEach((line) -> {
						if (line.isEmpty()) {
							Event event = Event.of(block);
							if (event != null) {
								this.events.add(event);
								this.seen.add(event);
							}
							block.clear();
						}
						else {
							block.add(line);
						}
					});
				}
				catch (RuntimeException ex) {
					// closed
				}
				this.ended.complete(null);
			});
			reader.setDaemon(true);
			reader.start();
		}

		/** The next event, waiting up to 10 s. */
		Event next() throws InterruptedException {
			Event event = this.events.poll(10, TimeUnit.SECONDS);
			if (event == null) {
				throw new AssertionError("no event within 10 s");
			}
			return event;
		}

		/** Every event the stream carried so far. */
		List<Event> seen() {
			return List.copyOf(this.seen);
		}

		/** Completes when the server ended the stream. */
		CompletableFuture<Void> ended() {
			return this.ended;
		}

		void close() {
			Stream<String> open = this.lines;
			if (open != null) {
				open.close();
			}
		}

	}

	String url() {
		return this.url;
	}

	static Map<String, Object> request(Object id, String method, Map<String, Object> params) {
		Map<String, Object> message = new LinkedHashMap<>();
		message.put("jsonrpc", "2.0");
		message.put("id", id);
		message.put("method", method);
		message.put("params", params);
		return message;
	}

	static Map<String, Object> call(Object id, String tool, Map<String, Object> arguments) {
		return request(id, "tools/call", Map.of("name", tool, "arguments", arguments));
	}

	static Map<String, Object> initialize(Map<String, Object> capabilities) {
		return request(0, "initialize", Map.of("protocolVersion", "2025-11-25", "capabilities", capabilities,
				"clientInfo", Map.of("name", "gateway-test", "version", "1")));
	}

	/** Opens a session: the session id. */
	String open(Map<String, Object> capabilities) throws Exception {
		Response response = post(null, initialize(capabilities));
		if (response.status() != 200) {
			throw new AssertionError("initialize: " + response.status() + " " + response.body());
		}
		String session = response.header("Mcp-Session-Id");
		post(session, Map.of("jsonrpc", "2.0", "method", "notifications/initialized"));
		return session;
	}

	String open() throws Exception {
		return open(Map.of());
	}

	Response post(String session, Object message, String... headers) throws Exception {
		HttpRequest.Builder builder = request(URI.create(this.url)).timeout(Duration.ofSeconds(30))
			.header("Content-Type", "application/json")
			.header("Accept", "application/json, text/event-stream")
			.POST(HttpRequest.BodyPublishers
				.ofString((message instanceof String text) ? text : json.writeValueAsString(message)));
		if (session != null) {
			builder.header("Mcp-Session-Id", session);
		}
		for (int i = 0; i + 1 < headers.length; i += 2) {
			builder.setHeader(headers[i], headers[i + 1]);
		}
		HttpResponse<String> response = this.http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
		return new Response(response.statusCode(), response.headers().map(), response.body());
	}

	/** The result of a request answered on an SSE stream: its last event's message. */
	Map<String, Object> answer(String session, Map<String, Object> request) throws Exception {
		Response response = post(session, request);
		if (response.status() != 200) {
			throw new AssertionError(request.get("method") + ": " + response.status() + " " + response.body());
		}
		List<Event> events = response.events();
		return events.get(events.size() - 1).message();
	}

	/** The text of a tool's answer. */
	String callText(String session, Object id, String tool, Map<String, Object> arguments) throws Exception {
		Map<String, Object> answer = answer(session, call(id, tool, arguments));
		Map<?, ?> result = (Map<?, ?>) answer.get("result");
		if (result == null) {
			throw new AssertionError(tool + ": " + answer);
		}
		return String.valueOf(((Map<?, ?>) ((List<?>) result.get("content")).get(0)).get("text"));
	}

	/** A POST whose SSE stream is read as it comes. */
	EventStream stream(String session, Object message) throws Exception {
		return open(request(URI.create(this.url)).header("Content-Type", "application/json")
			.header("Accept", "application/json, text/event-stream")
			.header("Mcp-Session-Id", session)
			.POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(message)))
			.build());
	}

	/** The session's GET stream, read as it comes. */
	EventStream get(String session, String lastEventId) throws Exception {
		HttpRequest.Builder builder = request(URI.create(this.url)).header("Accept", "text/event-stream")
			.header("Mcp-Session-Id", session)
			.GET();
		if (lastEventId != null) {
			builder.header("Last-Event-ID", lastEventId);
		}
		return open(builder.build());
	}

	private EventStream open(HttpRequest request) throws Exception {
		HttpResponse<Stream<String>> response = this.http.send(request, HttpResponse.BodyHandlers.ofLines());
		EventStream stream = new EventStream(response.statusCode());
		stream.read(response.body());
		return stream;
	}

	/** A GET of another path of the application, its JSON body. */
	Map<String, Object> getJson(String path) throws Exception {
		URI uri = URI.create(this.url).resolve(path);
		HttpResponse<String> response = this.http.send(request(uri).GET().build(),
				HttpResponse.BodyHandlers.ofString());
		if (response.statusCode() != 200) {
			throw new AssertionError("GET " + path + ": " + response.statusCode() + " " + response.body());
		}
		return json.readValue(response.body(), Map.class);
	}

	/** The status of a GET of another path of the application. */
	int getStatus(String path) throws Exception {
		URI uri = URI.create(this.url).resolve(path);
		return this.http.send(request(uri).GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode();
	}

	Response delete(String session) throws Exception {
		HttpResponse<String> response = this.http.send(
				request(URI.create(this.url)).header("Mcp-Session-Id", session).DELETE().build(),
				HttpResponse.BodyHandlers.ofString());
		return new Response(response.statusCode(), response.headers().map(), response.body());
	}

}
