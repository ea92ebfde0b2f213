package dev.mcpstdio.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample's HTTP API, as the tests call it: a GET, and a POST of a JSON body.
 */
final class SampleHttp {

	private static final HttpClient http = HttpClient.newHttpClient();

	private static final JsonMapper json = JsonMapper.builder().build();

	private SampleHttp() {
	}

	static HttpResponse<String> get(int port, String path) throws Exception {
		return http.send(HttpRequest.newBuilder(uri(port, path)).GET().build(), HttpResponse.BodyHandlers.ofString());
	}

	static HttpResponse<String> post(int port, String path, String body) throws Exception {
		return http.send(HttpRequest.newBuilder(uri(port, path))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	/**
	 * The sample's tools, listed by server: {@code demo}'s four and {@code stubborn}'s
	 * one.
	 */
	@SuppressWarnings("unchecked")
	static void assertToolsListed(int port) throws Exception {
		Map<String, List<Map<String, String>>> tools = json.readValue(get(port, "/tools").body(), Map.class);
		assertThat(tools.get("demo")).extracting((tool) -> tool.get("name"))
			.containsExactly("echo", "add", "current_time", "slow");
		assertThat(tools.get("stubborn")).extracting((tool) -> tool.get("name")).containsExactly("stubborn_ping");
	}

	/**
	 * A call answered by the shared {@code demo} and one by a {@code demo-session}
	 * process.
	 */
	static void assertToolsAnswer(int port) throws Exception {
		assertThat(post(port, "/tools/demo/add", "{\"a\": 2, \"b\": 3}").body()).contains("\"result\":\"5\"");
		assertThat(post(port, "/tools/demo-session/echo", "{\"text\": \"own process\"}").body())
			.contains("\"result\":\"own process\"");
	}

	private static URI uri(int port, String path) {
		return URI.create("http://127.0.0.1:" + port + path);
	}

}
