package dev.mcpstdio.autoconfigure;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.mcpstdio.fixture.Fixtures;
import dev.mcpstdio.process.ProcessSpec;
import dev.mcpstdio.server.McpStdioServer;
import dev.mcpstdio.server.McpStdioServers;
import dev.mcpstdio.server.McpStdioSession;
import dev.mcpstdio.server.ServerState;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.ai.mcp.McpToolFilter;
import org.springframework.ai.mcp.McpToolNamePrefixGenerator;
import org.springframework.ai.mcp.McpToolsChangedEvent;
import org.springframework.ai.tool.ToolCallback;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.awaitility.Awaitility.await;

/**
 * The Spring AI tool callbacks of the starter: shaped by Spring AI's filter, naming and
 * meta beans, offered for per-session servers too, followed by McpToolsChangedEvent.
 */
class ToolCallbacksTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(McpStdioAutoConfiguration.class));

	@Test
	void toolsOfAPerSessionServerRunEachCallInASessionOfItsOwn() {
		this.runner.withPropertyValues(python("solo", "keep-alive=false")).run((context) -> {
			ToolCallback pid = callback(context.getBean(McpStdioToolCallbackProvider.class), "solo_pid");
			String first = pid.call("{}");
			String second = pid.call("{}");
			assertThat(first).isNotEqualTo(second);
			assertThat(context.getBean(McpStdioServers.class).server("solo").status().sessions()).isZero();
		});
	}

	@Test
	void filterAndNamingBeansShapeTheCallbacks() {
		this.runner.withUserConfiguration(Shaping.class).withPropertyValues(python("py")).run((context) -> {
			List<String> names = Arrays.stream(context.getBean(McpStdioToolCallbackProvider.class).getToolCallbacks())
				.map((callback) -> callback.getToolDefinition().name())
				.toList();
			assertThat(names).containsExactly("py__echo");
		});
	}

	@Test
	void excludedToolIsNeitherListedNorOfferedNorCalledAndTheServerNeverSeesIt() {
		this.runner.withPropertyValues(FixtureProperties.server("guarded", "--record-calls").toArray(new String[0]))
			.withPropertyValues("mcp.stdio.servers.guarded.tools.exclude=die,g*")
			.run((context) -> {
				McpStdioServers servers = context.getBean(McpStdioServers.class);
				McpSyncClient client = servers.client("guarded");
				assertThat(client.listTools().tools()).extracting(McpSchema.Tool::name)
					.contains("echo", "pid")
					.doesNotContain("die", "garbage");
				assertThat(names(context.getBean(McpStdioToolCallbackProvider.class))).contains("guarded_echo")
					.doesNotContain("guarded_die", "guarded_garbage");
				assertThatException().isThrownBy(() -> client.callTool(new CallToolRequest("die", Map.of())))
					.withMessageContaining("MCP server 'guarded': tool 'die' is excluded by tools.exclude [die, g*],"
							+ " so it was not called");
				client.callTool(new CallToolRequest("echo", Map.of("text", "allowed")));
				// the server recorded the allowed call (on stderr, which may come after
				// the answer), and only that one: a call of die would have come first
				await().atMost(Duration.ofSeconds(10))
					.until(() -> servers.server("guarded").status().stderrTail().contains("call echo"));
				assertThat(servers.server("guarded").status().stderrTail()).doesNotContain("call die");
				assertThat(servers.server("guarded").state()).isEqualTo(ServerState.RUNNING);
			});
	}

	@Test
	void includeListsTheOnlyToolsThatExistAlsoForSessionsOfTheirOwn() {
		this.runner.withPropertyValues(python("narrow", "keep-alive=false", "tools.include=ec?o")).run((context) -> {
			assertThat(names(context.getBean(McpStdioToolCallbackProvider.class))).containsExactly("narrow_echo");
			try (McpStdioSession session = context.getBean(McpStdioServers.class).openSession("narrow")) {
				assertThat(session.client().listTools().tools()).extracting(McpSchema.Tool::name)
					.containsExactly("echo");
				assertThatException().isThrownBy(() -> session.client().callTool(new CallToolRequest("pid", Map.of())))
					.withMessageContaining("tool 'pid' is not in tools.include [ec?o]");
			}
		});
	}

	@Test
	void toolWithATimeoutOfItsOwnOutlastsTheServersRequestTimeoutThroughTheSharedClient() {
		this.runner.withPropertyValues(FixtureProperties.server("patient").toArray(new String[0]))
			// a request-timeout the starter's own listing of the tools fits in on a busy
			// machine, and that slow outlasts
			.withPropertyValues("mcp.stdio.servers.patient.request-timeout=2s",
					"mcp.stdio.servers.patient.tools.request-timeouts.slow=30s")
			.run((context) -> {
				McpSyncClient client = context.getBean(McpStdioServers.class).client("patient");
				assertThat(client.callTool(new CallToolRequest("slow", Map.of("millis", 3000))).content())
					.singleElement()
					.isInstanceOfSatisfying(McpSchema.TextContent.class,
							(text) -> assertThat(text.text()).isEqualTo("slept 3000"));
			});
	}

	@Test
	void callbacksAreOffWhenDisabled() {
		this.runner.withPropertyValues("mcp.stdio.tool-callbacks.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(McpStdioToolCallbackProvider.class));
	}

	@Test
	void aServerRestartedIntoOtherToolsPublishesMcpToolsChangedEvent(@TempDir Path dir) {
		Path marker = dir.resolve("extra");
		this.runner.withUserConfiguration(Events.class)
			.withPropertyValues(
					FixtureProperties.server("shifty", "--extra-tool-if-exists=" + marker).toArray(new String[0]))
			.withPropertyValues("mcp.stdio.servers.shifty.restart.initial-backoff=50ms")
			.run((context) -> {
				McpStdioServer server = context.getBean(McpStdioServers.class).server("shifty");
				await().atMost(Duration.ofSeconds(30)).until(() -> server.state() == ServerState.RUNNING);
				// the client lists its tools once, so that a change can be told
				context.getBean(McpStdioServers.class).client("shifty").listTools();
				Files.createFile(marker);
				long first = server.pid().orElseThrow();
				ProcessHandle.of(first).orElseThrow().destroyForcibly();
				Events events = context.getBean(Events.class);
				await().atMost(Duration.ofSeconds(30)).until(() -> !events.received.isEmpty());
				assertThat(events.received).singleElement().satisfies((event) -> {
					assertThat(event.getConnectionName()).isEqualTo("shifty");
					assertThat(event.getTools()).anySatisfy((tool) -> assertThat(tool.name()).isEqualTo("extra"));
				});
			});
	}

	private static String[] python(String name, String... more) {
		ProcessSpec spec = Fixtures.python(name);
		List<String> properties = new ArrayList<>();
		String prefix = "mcp.stdio.servers." + name + ".";
		properties.add(prefix + "command=" + spec.command().get(0));
		for (int i = 1; i < spec.command().size(); i++) {
			properties.add(prefix + "args[" + (i - 1) + "]=" + spec.command().get(i));
		}
		Arrays.stream(more).map((property) -> prefix + property).forEach(properties::add);
		return properties.toArray(new String[0]);
	}

	private static List<String> names(McpStdioToolCallbackProvider provider) {
		return Arrays.stream(provider.getToolCallbacks())
			.map((callback) -> callback.getToolDefinition().name())
			.toList();
	}

	private static ToolCallback callback(McpStdioToolCallbackProvider provider, String name) {
		return Arrays.stream(provider.getToolCallbacks())
			.filter((callback) -> callback.getToolDefinition().name().equals(name))
			.findFirst()
			.orElseThrow();
	}

	@Configuration(proxyBeanMethods = false)
	static class Shaping {

		@Bean
		McpToolFilter onlyEcho() {
			return (connection, tool) -> tool.name().equals("echo");
		}

		@Bean
		McpToolNamePrefixGenerator titleAndName() {
			return (connection, tool) -> connection.clientInfo().title() + "__" + tool.name();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class Events implements ApplicationListener<McpToolsChangedEvent> {

		final List<McpToolsChangedEvent> received = new CopyOnWriteArrayList<>();

		@Override
		public void onApplicationEvent(McpToolsChangedEvent event) {
			this.received.add(event);
		}

	}

}
