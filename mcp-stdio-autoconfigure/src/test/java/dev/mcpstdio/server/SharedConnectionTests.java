package dev.mcpstdio.server;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import dev.mcpstdio.fixture.Fixtures;
import dev.mcpstdio.process.ProcessLauncher;
import dev.mcpstdio.process.ProcessSpec;
import dev.mcpstdio.process.StopTimeouts;
import dev.mcpstdio.transport.StdioTransportOptions;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.LoggingLevel;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.awaitility.Awaitility.await;

/**
 * The shared client's connection across a keep-alive server's processes, on real
 * processes: its {@code initialize} waits as long as any request may, and a client that
 * was told the server was unavailable initializes again without losing the answer it is
 * waiting for.
 */
class SharedConnectionTests {

	private static final StdioTransportOptions OPTIONS = StdioTransportOptions.defaults()
		.withStopTimeouts(Duration.ofSeconds(1), new StopTimeouts(Duration.ofMillis(500), Duration.ofMillis(500)))
		.withRequestTimeout(Duration.ofSeconds(20));

	private final List<McpStdioServers> registries = new ArrayList<>();

	private final ExecutorService callers = Executors.newCachedThreadPool();

	@TempDir
	Path dir;

	@AfterEach
	void close() {
		this.registries.forEach(McpStdioServers::close);
		this.callers.shutdownNow();
	}

	@Test
	void firstCallWaitsForABackoffLongerThanTheInitializeTimeoutWithinItsRequestTimeout() {
		// the first process exits at once, so the client was never initialized; the
		// next start comes 3 s later: past initialize-timeout, within request-timeout
		ServerDefinition definition = optional(definition(failingOnce("patient", null), Duration.ofSeconds(1),
				new RestartSettings(RestartPolicy.ON_FAILURE, 5, Duration.ofMinutes(1), Duration.ofSeconds(3),
						Duration.ofSeconds(3))));
		McpStdioServers servers = registry(definition);
		started(servers, "patient", ServerState.BACKOFF);
		// the client's initialize waits for the next process, as its call may
		assertThat(echo(servers, "patient", "waited")).isEqualTo("waited");
	}

	@Test
	void callWaitingForAStartThatFailsIntoABackoffPastItsTimeoutFailsAtOnce() throws Exception {
		// the first process exits with code 4 once the go file exists; the next start is
		// 10 minutes later, past the call's request-timeout (20 s)
		Path go = this.dir.resolve("go");
		ProcessSpec spec = ProcessSpec
			.command("unlucky", "/bin/sh",
					List.of("-c", "while [ ! -e \"$1\" ]; do sleep 0.02; done; exit 4", "unlucky", go.toString()))
			.build();
		ServerDefinition definition = optional(definition(spec, Duration.ofSeconds(20), new RestartSettings(
				RestartPolicy.ON_FAILURE, 5, Duration.ofMinutes(1), Duration.ofMinutes(10), Duration.ofMinutes(10))));
		McpStdioServers servers = registry(definition);
		CompletableFuture<Void> started = servers.startAll();
		McpStdioServer server = servers.server("unlucky");
		await().atMost(Duration.ofSeconds(10)).until(() -> server.state() == ServerState.STARTING);
		CompletableFuture<String> call = WaitingCalls.waiting(this.callers, () -> echo(servers, "unlucky", "in vain"));
		Files.createFile(go);
		started.join();
		// within the 20 s the call may wait only if it is told at once
		assertThatException().isThrownBy(() -> call.get(15, TimeUnit.SECONDS))
			.withMessageContaining("MCP server 'unlucky' is backing off after it exited with code 4")
			.withMessageContaining("so it is refused now");
	}

	@Test
	void clientToldTheServerWasUnavailableInitializesAgainWithoutLosingTheAnswerItWaitsFor() throws Exception {
		// the first process exits at once; the next one waits for the go file to serve
		Path go = this.dir.resolve("go");
		ServerDefinition definition = optional(definition(failingOnce("revived", go), Duration.ofSeconds(20),
				new RestartSettings(RestartPolicy.ON_FAILURE, 0, Duration.ofMinutes(1), Duration.ofMillis(100),
						Duration.ofMillis(100))));
		McpStdioServers servers = registry(definition);
		McpStdioServer server = started(servers, "revived", ServerState.FAILED);
		// the client initializes while the server is FAILED: it is told the server is
		// unavailable, and its call fails at once with the server's reason
		assertThatException().isThrownBy(() -> echo(servers, "revived", "refused"))
			.withMessageContaining("MCP server 'revived'");
		this.callers.execute(server::restart);
		await().atMost(Duration.ofSeconds(10)).until(() -> server.state() == ServerState.STARTING);
		// the call waits for the process that is starting
		CompletableFuture<String> call = WaitingCalls.waiting(this.callers, () -> echo(servers, "revived", "answered"));
		Files.createFile(go);
		assertThat(call.get(30, TimeUnit.SECONDS)).isEqualTo("answered");
		// with that answer in, the client initializes again with the server's own result
		await().atMost(Duration.ofSeconds(10))
			.until(() -> "python-fixture".equals(servers.client("revived").getServerInfo().name()));
		assertThat(echo(servers, "revived", "and the next")).isEqualTo("and the next");
	}

	@Test
	void loggingLevelTheClientSetIsSetAgainOnARestartedProcess() {
		ServerDefinition definition = definition(Fixtures.spec("chatty"), Duration.ofSeconds(20), new RestartSettings(
				RestartPolicy.ON_FAILURE, 5, Duration.ofMinutes(1), Duration.ofMillis(50), Duration.ofMillis(50)));
		McpStdioServers servers = registry(definition);
		McpStdioServer server = started(servers, "chatty", ServerState.RUNNING);
		assertThat(server.status().stderrTail()).noneMatch((line) -> line.startsWith("logging level"));
		servers.client("chatty").setLoggingLevel(LoggingLevel.DEBUG);
		await().atMost(Duration.ofSeconds(10))
			.until(() -> server.status().stderrTail().contains("logging level debug"));
		long first = server.pid().orElseThrow();
		ProcessHandle.of(first).orElseThrow().destroyForcibly();
		await().atMost(Duration.ofSeconds(20))
			.until(() -> server.state() == ServerState.RUNNING && server.pid().orElse(first) != first);
		assertThat(echo(servers, "chatty", "after the restart")).isEqualTo("after the restart");
		// the new process heard it, though the client did not send it again
		await().atMost(Duration.ofSeconds(10))
			.until(() -> server.status().stderrTail().contains("logging level debug"));
		assertThat(server.status().stderrTail())
			.containsSubsequence("fixture started, pid " + server.pid().orElseThrow(), "logging level debug");
	}

	/** Starts the registry's servers and waits until the named one is in the state. */
	private static McpStdioServer started(McpStdioServers servers, String name, ServerState state) {
		servers.startAll().join();
		McpStdioServer server = servers.server(name);
		await().atMost(Duration.ofSeconds(10)).until(() -> server.state() == state);
		return server;
	}

	private McpStdioServers registry(ServerDefinition definition) {
		McpStdioServers servers = new McpStdioServers(List.of(definition), ProcessLauncher.shared(),
				McpJsonDefaults.getMapper(), Clock.systemUTC());
		this.registries.add(servers);
		return servers;
	}

	/**
	 * The Python fixture behind a shell that makes its first process exit with code 4,
	 * and every later one wait for the go file (where given) before it serves.
	 */
	private ProcessSpec failingOnce(String name, @Nullable Path go) {
		ProcessSpec python = Fixtures.python(name);
		String script = "[ -e \"$1\" ] || { touch \"$1\"; exit 4; }; "
				+ "[ -z \"$2\" ] || while [ ! -e \"$2\" ]; do sleep 0.02; done; exec \"$3\" \"$4\"";
		return ProcessSpec
			.command(name, "/bin/sh",
					List.of("-c", script, name, this.dir.resolve(name + "-started-once").toString(),
							(go != null) ? go.toString() : "", python.command().get(0), python.command().get(1)))
			.build();
	}

	private static ServerDefinition optional(ServerDefinition definition) {
		return definition.toBuilder()
			.lifecycle(new ServerLifecycleSettings(true, Duration.ZERO, Startup.EAGER, false, List.of(),
					definition.initializeTimeout()))
			.build();
	}

	private static ServerDefinition definition(ProcessSpec spec, Duration initializeTimeout, RestartSettings restart) {
		return ServerDefinition.builder(spec)
			.transportOptions(OPTIONS)
			.lifecycle(
					new ServerLifecycleSettings(true, Duration.ZERO, Startup.EAGER, true, List.of(), initializeTimeout))
			.restart(restart)
			.build();
	}

	private static String echo(McpStdioServers servers, String name, String text) {
		return ((TextContent) servers.client(name)
			.callTool(new CallToolRequest("echo", Map.of("text", text)))
			.content()
			.get(0)).text();
	}

}
