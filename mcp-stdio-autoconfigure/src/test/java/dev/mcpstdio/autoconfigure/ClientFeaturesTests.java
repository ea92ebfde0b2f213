package dev.mcpstdio.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import dev.mcpstdio.fixture.ClientFeaturesServer;
import dev.mcpstdio.fixture.Fixtures;
import dev.mcpstdio.server.McpStdioServer;
import dev.mcpstdio.server.McpStdioServers;
import dev.mcpstdio.server.ServerState;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import org.junit.jupiter.api.Test;

import org.springframework.ai.mcp.annotation.McpLogging;
import org.springframework.ai.mcp.annotation.McpProgress;
import org.springframework.ai.mcp.annotation.McpSampling;
import org.springframework.ai.mcp.customizer.McpClientCustomizer;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The clients of the starter speak MCP's client side as Spring AI's do: annotated
 * handlers and customizer beans, called with the server's name, on a real server that
 * asks for sampling and roots and sends progress and logging.
 */
class ClientFeaturesTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(McpStdioAutoConfiguration.class))
		.withUserConfiguration(ClientSide.class)
		.withPropertyValues("mcp.stdio.servers.assistant.java.main-class=" + ClientFeaturesServer.class.getName(),
				"mcp.stdio.servers.assistant.java.jvm-args=" + String.join(",", Fixtures.JVM_ARGS)
						+ ",-Dlogback.configurationFile=logback-fixture.xml",
				"mcp.stdio.servers.assistant.restart.initial-backoff=50ms",
				"mcp.stdio.servers.assistant.shutdown.eof-timeout=500ms",
				"mcp.stdio.servers.assistant.shutdown.term-timeout=500ms");

	@Test
	void customizerAndAnnotatedHandlersServeTheServersRequestsOnTheSharedConnection() {
		this.runner.run((context) -> {
			McpStdioServers servers = context.getBean(McpStdioServers.class);
			ClientSide client = context.getBean(ClientSide.class);
			await().atMost(Duration.ofSeconds(30))
				.until(() -> servers.server("assistant").state() == ServerState.RUNNING);
			assertThat(client.customized).containsOnly("assistant");
			McpSyncClient shared = servers.client("assistant");
			// the starter initialized the process with the client's capabilities and info
			assertThat(text(shared, "client", Map.of()))
				.isEqualTo("sampling=true;roots=true;name=mcp-stdio - assistant;title=assistant");
			McpSchema.CallToolResult result = shared.callTool(
					CallToolRequest.builder("ask").arguments(Map.of("text", "hello")).progressToken("p-1").build());
			assertThat(((TextContent) result.content().get(0)).text()).isEqualTo("sampled=HELLO;roots=1");
			await().atMost(Duration.ofSeconds(5)).until(() -> !client.progress.isEmpty() && !client.logs.isEmpty());
			assertThat(client.progress).anySatisfy((progress) -> assertThat(progress.progressToken()).isEqualTo("p-1"));
			assertThat(client.logs).anySatisfy((log) -> assertThat(log.data()).isEqualTo("asked hello"));
		});
	}

	@Test
	void sixteenConcurrentCallersEachGetTheirOwnSamplingAnswer() {
		// the SDK's own stdio server cannot send 16 requests at once: the hand-written
		// fixture can
		this.runner.withPropertyValues(FixtureProperties.server("concurrent").toArray(new String[0])).run((context) -> {
			McpStdioServers servers = context.getBean(McpStdioServers.class);
			await().atMost(Duration.ofSeconds(30))
				.until(() -> servers.server("concurrent").state() == ServerState.RUNNING);
			McpSyncClient shared = servers.client("concurrent");
			ExecutorService callers = Executors.newFixedThreadPool(16);
			try {
				long started = System.nanoTime();
				List<CompletableFuture<String>> answers = new ArrayList<>();
				for (int i = 0; i < 16; i++) {
					String text = "caller " + i;
					answers
						.add(CompletableFuture.supplyAsync(() -> text(shared, "ask", Map.of("text", text)), callers));
				}
				for (int i = 0; i < 16; i++) {
					assertThat(answers.get(i).join()).isEqualTo("sampled=CALLER " + i);
				}
				System.out.printf("client features: 16 concurrent sampling round trips on one connection in %d ms%n",
						Duration.ofNanos(System.nanoTime() - started).toMillis());
			}
			finally {
				callers.shutdownNow();
			}
		});
	}

	@Test
	void aRestartedProcessIsInitializedWithTheSameCapabilitiesAndTheHandlersStillAnswer() {
		this.runner.run((context) -> {
			McpStdioServers servers = context.getBean(McpStdioServers.class);
			McpStdioServer server = servers.server("assistant");
			await().atMost(Duration.ofSeconds(30)).until(() -> server.state() == ServerState.RUNNING);
			long first = server.pid().orElseThrow();
			ProcessHandle.of(first).orElseThrow().destroyForcibly();
			await().atMost(Duration.ofSeconds(30))
				.until(() -> server.state() == ServerState.RUNNING && server.pid().orElse(first) != first);
			McpSyncClient shared = servers.client("assistant");
			assertThat(text(shared, "client", Map.of()))
				.isEqualTo("sampling=true;roots=true;name=mcp-stdio - assistant;title=assistant");
			assertThat(text(shared, "ask", Map.of("text", "again"))).isEqualTo("sampled=AGAIN;roots=1");
		});
	}

	private static String text(McpSyncClient client, String tool, Map<String, Object> arguments) {
		return ((TextContent) client.callTool(new CallToolRequest(tool, arguments)).content().get(0)).text();
	}

	@Configuration(proxyBeanMethods = false)
	static class ClientSide {

		final List<String> customized = new CopyOnWriteArrayList<>();

		final List<McpSchema.ProgressNotification> progress = new CopyOnWriteArrayList<>();

		final List<McpSchema.LoggingMessageNotification> logs = new CopyOnWriteArrayList<>();

		@Bean
		McpClientCustomizer<McpClient.SyncSpec> rootsCustomizer() {
			return (name, spec) -> {
				this.customized.add(name);
				// the registry sets the capabilities of its handlers: roots are added
				// here, as with Spring AI
				spec.roots(new McpSchema.Root("file:///data", "data"))
					.capabilities(McpSchema.ClientCapabilities.builder().sampling().roots(true).build());
			};
		}

		@Bean
		Handlers handlers() {
			return new Handlers(this);
		}

	}

	static class Handlers {

		private final ClientSide client;

		Handlers(ClientSide client) {
			this.client = client;
		}

		@McpSampling(clients = { "assistant", "concurrent" })
		McpSchema.CreateMessageResult sample(McpSchema.CreateMessageRequest request) {
			String prompt = ((TextContent) request.messages().get(0).content()).text();
			return McpSchema.CreateMessageResult.builder(McpSchema.Role.ASSISTANT, prompt.toUpperCase(), "test-model")
				.build();
		}

		@McpProgress(clients = "assistant")
		void progress(McpSchema.ProgressNotification notification) {
			this.client.progress.add(notification);
		}

		@McpLogging(clients = "assistant")
		void log(McpSchema.LoggingMessageNotification notification) {
			this.client.logs.add(notification);
		}

	}

}
