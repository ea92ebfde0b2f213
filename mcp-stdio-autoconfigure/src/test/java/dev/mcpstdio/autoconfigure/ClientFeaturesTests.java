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
import io.modelcontextprotocol.client.McpAsyncClient;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.ai.mcp.annotation.McpElicitation;
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
	void elicitationRootChangesAndTheLoggingLevelReachTheServer() {
		this.runner.run((context) -> {
			McpStdioServers servers = context.getBean(McpStdioServers.class);
			ClientSide client = context.getBean(ClientSide.class);
			await().atMost(Duration.ofSeconds(30))
				.until(() -> servers.server("assistant").state() == ServerState.RUNNING);
			McpSyncClient shared = servers.client("assistant");
			assertThat(text(shared, "elicit", Map.of())).isEqualTo("elicited=ACCEPT{name=Ada}");
			shared.addRoot(new McpSchema.Root("file:///more", "more"));
			await().atMost(Duration.ofSeconds(10))
				.until(() -> text(shared, "roots-changed", Map.of()).equals("roots-changed=1"));
			assertThat(text(shared, "ask", Map.of("text", "quiet"))).isEqualTo("sampled=QUIET;roots=2");
			shared.setLoggingLevel(McpSchema.LoggingLevel.DEBUG);
			text(shared, "ask", Map.of("text", "loud"));
			// the server sends the debug line of a call before its info line
			await().atMost(Duration.ofSeconds(5))
				.until(() -> client.logs.stream().anyMatch((log) -> log.data().equals("asked loud")));
			assertThat(client.logs).extracting(McpSchema.LoggingMessageNotification::data)
				.contains("debug loud")
				.doesNotContain("debug quiet");
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
			// the server offers its sampling tool only to a client that declared sampling
			assertThat(shared.listTools().tools()).extracting(McpSchema.Tool::name).contains("ask");
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

	@Test
	void asyncClientServesBesideTheSyncOneOnTheSameProcess() {
		this.runner.withPropertyValues(FixtureProperties.server("concurrent").toArray(new String[0])).run((context) -> {
			McpStdioServers servers = context.getBean(McpStdioServers.class);
			McpStdioServer server = servers.server("assistant");
			await().atMost(Duration.ofSeconds(30))
				.until(() -> server.state() == ServerState.RUNNING
						&& servers.server("concurrent").state() == ServerState.RUNNING);
			long pid = server.pid().orElseThrow();
			McpAsyncClient async = servers.asyncClient("assistant");
			assertThat(servers.asyncClient("assistant")).isSameAs(async);
			assertThat(context.getBean(ClientSide.class).asyncCustomized).containsOnly("assistant");
			// one after another on the SDK's server, which cannot send requests
			// concurrently
			for (int i = 0; i < 3; i++) {
				assertThat(text(servers.client("assistant"), "ask", Map.of("text", "sync " + i)))
					.isEqualTo("sampled=SYNC " + i + ";roots=1");
				assertThat(text(async, "ask", Map.of("text", "async " + i)).block())
					.isEqualTo("sampled=ASYNC " + i + ";roots=1");
			}
			assertThat(server.pid()).hasValue(pid);
			// many at once, both clients, on the hand-written server
			McpAsyncClient concurrentAsync = servers.asyncClient("concurrent");
			McpSyncClient concurrentSync = servers.client("concurrent");
			ExecutorService callers = Executors.newFixedThreadPool(8);
			try {
				List<CompletableFuture<String>> answers = new ArrayList<>();
				for (int i = 0; i < 16; i++) {
					String prompt = "mixed " + i;
					answers
						.add((i % 2 == 0)
								? CompletableFuture
									.supplyAsync(() -> text(concurrentSync, "ask", Map.of("text", prompt)), callers)
								: text(concurrentAsync, "ask", Map.of("text", prompt)).toFuture());
				}
				for (int i = 0; i < 16; i++) {
					// the server's sampling requests are answered by the sync client's
					// handlers, for both
					assertThat(answers.get(i).join()).isEqualTo("sampled=MIXED " + i);
				}
			}
			finally {
				callers.shutdownNow();
			}
		});
	}

	private static Mono<String> text(McpAsyncClient client, String tool, Map<String, Object> arguments) {
		return client.callTool(new CallToolRequest(tool, arguments))
			.map((result) -> ((TextContent) result.content().get(0)).text());
	}

	private static String text(McpSyncClient client, String tool, Map<String, Object> arguments) {
		return ((TextContent) client.callTool(new CallToolRequest(tool, arguments)).content().get(0)).text();
	}

	@Configuration(proxyBeanMethods = false)
	static class ClientSide {

		final List<String> customized = new CopyOnWriteArrayList<>();

		final List<String> asyncCustomized = new CopyOnWriteArrayList<>();

		final List<McpSchema.ProgressNotification> progress = new CopyOnWriteArrayList<>();

		final List<McpSchema.LoggingMessageNotification> logs = new CopyOnWriteArrayList<>();

		@Bean
		McpClientCustomizer<McpClient.SyncSpec> rootsCustomizer() {
			return (name, spec) -> {
				this.customized.add(name);
				// the registry sets the capabilities of its handlers: roots are added
				// here, as with Spring AI
				spec.roots(new McpSchema.Root("file:///data", "data"))
					.capabilities(McpSchema.ClientCapabilities.builder().sampling().elicitation().roots(true).build());
			};
		}

		@Bean
		McpClientCustomizer<McpClient.AsyncSpec> asyncCustomizer() {
			return (name, spec) -> this.asyncCustomized.add(name);
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

		@McpElicitation(clients = "assistant")
		McpSchema.ElicitResult elicit(McpSchema.ElicitRequest request) {
			return new McpSchema.ElicitResult(McpSchema.ElicitResult.Action.ACCEPT, Map.of("name", "Ada"));
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
