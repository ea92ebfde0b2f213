package dev.mcpstdio.gateway;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import dev.mcpstdio.gateway.ConformanceSetup.Run;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real MCP clients of other makers through the gateway of a real web application, each
 * against a server with a process per session and a shared one (both
 * {@code everything-server.mjs}): the TypeScript SDK's {@code Client} over
 * {@code StreamableHTTPClientTransport}, the Python SDK's default client for a URL, and
 * the MCP Inspector's CLI. Each lists the tools and calls {@code test_simple_text}; the
 * SDK clients also call {@code test_tool_with_progress} with a progress callback, then
 * end their session (DELETE). What they print is asserted; {@code setup --clients}
 * installs them, and the application's shutdown must leave no process behind.
 */
class GatewayClientsTests {

	private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(60);

	private static final String TOOLS = "json_schema_2020_12_tool test_audio_content test_elicitation"
			+ " test_elicitation_sep1034_defaults test_elicitation_sep1330_enums test_embedded_resource"
			+ " test_error_handling test_image_content test_multiple_content_types test_reconnection test_sampling"
			+ " test_simple_text test_tool_with_logging test_tool_with_progress";

	private static final String SIMPLE_TEXT = "This is a simple text response for testing.";

	/** What both SDK clients print, but for the token the process saw, which differs. */
	private static final List<String> SDK_CLIENT_LINES = List.of("server: mcp-stdio-everything-server 1.0.0",
			"protocol: 2025-11-25", "tools: 14 " + TOOLS, "test_simple_text: " + SIMPLE_TEXT,
			"progress: 0/100 50/100 100/100",
			"test_tool_with_progress: Progress tool completed (progressToken: TOKEN)");

	private static final JsonMapper json = JsonMapper.builder().build();

	private static ConformanceSetup setup;

	private static GatewayContext gateway;

	@BeforeAll
	static void startGateway() throws Exception {
		setup = ConformanceSetup.install(true);
		if (setup.installed()) {
			gateway = GatewayContext.start(setup, Map.of());
		}
	}

	@BeforeEach
	void assumeInstalled() {
		setup.assumeInstalled();
	}

	@AfterAll
	static void stopGatewayAndLeaveNoProcess() throws Exception {
		if (gateway == null) {
			return;
		}
		gateway.close();
		assertThat(gateway.serverProcesses()).as("processes of everything-server.mjs left after shutdown").isEmpty();
	}

	@ParameterizedTest
	@ValueSource(strings = { GatewayContext.OWN, GatewayContext.SHARED })
	void typeScriptSdkClientListsToolsCallsThemAndEndsItsSession(String server) throws Exception {
		int sessions = gateway.sessions(server);
		Run run = client(server, "ts-client", Map.of("CONFORMANCE_DIR", setup.dir().toString()), List
			.of(setup.node().toString(), setup.script("clients/ts-client.mjs").toString(), gateway.url(server)));
		assertThat(withoutToken(run)).as("ts-client.mjs; %s", run.describe())
			.containsExactlyElementsOf(concat(SDK_CLIENT_LINES, "terminated: true", "done"));
		assertThat(run.exit()).as("ts-client.mjs; %s", run.describe()).isZero();
		assertThat(gateway.sessions(server)).as("sessions open after the client's DELETE").isEqualTo(sessions);
	}

	@ParameterizedTest
	@ValueSource(strings = { GatewayContext.OWN, GatewayContext.SHARED })
	void pythonSdkClientListsToolsCallsThemAndEndsItsSession(String server) throws Exception {
		int sessions = gateway.sessions(server);
		Run run = client(server, "py-client", Map.of(), List.of(setup.python().toString(),
				setup.script("clients/py-client.py").toString(), gateway.url(server)));
		assertThat(withoutToken(run)).as("py-client.py; %s", run.describe())
			.containsExactlyElementsOf(concat(SDK_CLIENT_LINES, "done"));
		assertThat(run.exit()).as("py-client.py; %s", run.describe()).isZero();
		assertThat(gateway.sessions(server)).as("sessions open after the client's DELETE").isEqualTo(sessions);
	}

	@ParameterizedTest
	@ValueSource(strings = { GatewayContext.OWN, GatewayContext.SHARED })
	void inspectorCliListsToolsAndCallsOne(String server, @TempDir Path home) throws Exception {
		// the Inspector keeps state in ~/.mcp-inspector: a home of the test's own
		Map<String, String> env = Map.of("HOME", home.toString(), "PATH",
				setup.node().getParent() + ":" + System.getenv("PATH"));
		Run list = client(server, "inspector-list", env, List.of(setup.inspector().toString(), "--cli",
				gateway.url(server), "--transport", "http", "--method", "tools/list"));
		assertThat(list.exit()).as("inspector tools/list; %s", list.describe()).isZero();
		List<String> names = json.readTree(list.stdout())
			.get("tools")
			.valueStream()
			.map((tool) -> tool.get("name").asString())
			.sorted()
			.toList();
		assertThat(String.join(" ", names)).as("inspector tools/list; %s", list.describe()).isEqualTo(TOOLS);

		Run call = client(server, "inspector-call", env,
				List.of(setup.inspector().toString(), "--cli", gateway.url(server), "--transport", "http", "--method",
						"tools/call", "--tool-name", "test_simple_text"));
		assertThat(call.exit()).as("inspector tools/call; %s", call.describe()).isZero();
		JsonNode result = json.readTree(call.stdout());
		assertThat(result.get("content")).as("inspector tools/call; %s", call.describe()).hasSize(1);
		assertThat(result.get("content").get(0).get("type").asString()).isEqualTo("text");
		assertThat(result.get("content").get(0).get("text").asString()).isEqualTo(SIMPLE_TEXT);
		assertThat(result.has("isError") && result.get("isError").asBoolean()).isFalse();
	}

	private static Run client(String server, String name, Map<String, String> env, List<String> command)
			throws Exception {
		return ConformanceSetup.run(CLIENT_TIMEOUT, env, ConformanceSetup.OUTPUT.resolve(name + "-" + server), command);
	}

	/** The client's lines, the progress token the process saw replaced by TOKEN. */
	private static List<String> withoutToken(Run run) {
		return run.stdout().replaceAll("\\(progressToken: [^)\\s]+\\)", "(progressToken: TOKEN)").lines().toList();
	}

	private static List<String> concat(List<String> lines, String... more) {
		return Stream.concat(lines.stream(), Stream.of(more)).toList();
	}

}
