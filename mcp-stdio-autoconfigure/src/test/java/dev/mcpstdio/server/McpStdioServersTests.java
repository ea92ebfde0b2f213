package dev.mcpstdio.server;

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

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.mcpstdio.actuate.McpStdioServerHealthIndicator;
import dev.mcpstdio.fixture.Fixtures;
import dev.mcpstdio.process.ProcessLauncher;
import dev.mcpstdio.process.ProcessSpec;
import dev.mcpstdio.process.StopTimeouts;
import dev.mcpstdio.process.platform.ProcessTree;
import dev.mcpstdio.transport.StdioTransportOptions;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * Keep-alive and per-session servers, restarts and idle timeout, on real fixtures.
 */
class McpStdioServersTests {

	private static final StdioTransportOptions FAST_STOP = StdioTransportOptions.defaults()
		.withStopTimeouts(Duration.ofSeconds(1), new StopTimeouts(Duration.ofMillis(500), Duration.ofMillis(500)));

	private final List<McpStdioServers> registries = new ArrayList<>();

	@AfterEach
	void close() {
		this.registries.forEach(McpStdioServers::close);
	}

	@Test
	void aClientWithoutSamplingIsNotOfferedTheServersSamplingTool() {
		McpStdioServers servers = registry(definition("plain", Fixtures.spec("plain")));
		servers.startAll().join();
		assertThat(servers.client("plain").listTools().tools()).extracting(McpSchema.Tool::name)
			.contains("echo")
			.doesNotContain("ask");
	}

	@Test
	void keepAliveServerSharesOneProcess() {
		McpStdioServers servers = registry(definition("shared", Fixtures.spec("shared")));
		servers.startAll().join();
		McpStdioServer server = servers.server("shared");
		assertThat(server.state()).isEqualTo(ServerState.RUNNING);
		long pid = server.pid().orElseThrow();
		assertThat(echo(servers, "shared", "one")).isEqualTo("one");
		try (McpStdioSession session = servers.openSession("shared")) {
			assertThat(text(session.client().callTool(new CallToolRequest("pid", Map.of()))))
				.isEqualTo(Long.toString(pid));
		}
		assertThat(server.pid()).hasValue(pid);
		assertThat(server.status().serverName()).isEqualTo("fixture");
		assertThat(server.status().protocolVersion()).isNotBlank();
	}

	@Test
	void clientAskedBeforeStartWaitsForItsServer() throws Exception {
		McpStdioServers servers = registry(definition("early", Fixtures.spec("early")));
		CompletableFuture<Thread> calling = new CompletableFuture<>();
		var caller = java.util.concurrent.Executors.newSingleThreadExecutor();
		var call = CompletableFuture.supplyAsync(() -> {
			calling.complete(Thread.currentThread());
			return echo(servers, "early", "waited");
		}, caller);
		// the call is made, and waits for its server, well before the server starts
		Thread thread = calling.get();
		await().atMost(Duration.ofSeconds(10))
			.until(() -> thread.getState() == Thread.State.WAITING || thread.getState() == Thread.State.TIMED_WAITING);
		assertThat(call).isNotDone();
		servers.startAll().join();
		assertThat(call.get()).isEqualTo("waited");
		caller.shutdown();
	}

	@Test
	void keepAliveServerRestartsAfterItsProcessIsKilled() {
		McpStdioServers servers = registry(definition("phoenix", Fixtures.spec("phoenix")));
		servers.startAll().join();
		McpStdioServer server = servers.server("phoenix");
		long first = server.pid().orElseThrow();
		ProcessHandle.of(first).orElseThrow().destroyForcibly();
		await().atMost(Duration.ofSeconds(30))
			.until(() -> server.state() == ServerState.RUNNING && server.pid().orElse(first) != first);
		assertThat(server.status().restarts()).isEqualTo(1);
		assertThat(server.status().lastExitCode()).isEqualTo(137);
		assertThat(echo(servers, "phoenix", "again")).isEqualTo("again");
	}

	@Test
	void callMadeWhileServerRestartsWaitsForIt() {
		McpStdioServers servers = startedWithRestart("slowback", new RestartSettings(RestartPolicy.ALWAYS, 5,
				Duration.ofMinutes(1), Duration.ofSeconds(1), Duration.ofSeconds(1)));
		McpStdioServer server = servers.server("slowback");
		ProcessHandle.of(server.pid().orElseThrow()).orElseThrow().destroyForcibly();
		await().atMost(Duration.ofSeconds(10)).until(() -> server.state() == ServerState.BACKOFF);
		assertThat(echo(servers, "slowback", "patient")).isEqualTo("patient");
	}

	@Test
	void restartRightAfterACrashKeepsItsNewProcess() {
		// a backoff far longer than the test: only a race with the crash could leave it
		// in BACKOFF
		McpStdioServers servers = startedWithRestart("racer", new RestartSettings(RestartPolicy.ON_FAILURE, 100,
				Duration.ofMinutes(10), Duration.ofMinutes(1), Duration.ofMinutes(1)));
		McpStdioServer server = servers.server("racer");
		for (int round = 0; round < 5; round++) {
			ProcessHandle.of(server.pid().orElseThrow()).orElseThrow().destroyForcibly();
			server.restart();
			assertThat(server.state()).as("round %d", round).isEqualTo(ServerState.RUNNING);
			long pid = server.pid().orElseThrow();
			// what the crash could still do, its exit's handling does on this thread,
			// which must end first
			await().atMost(Duration.ofSeconds(10)).until(() -> Fixtures.threadsNamed("mcp-stdio-racer-exit").isEmpty());
			assertThat(server.state()).as("round %d", round).isEqualTo(ServerState.RUNNING);
			assertThat(server.pid()).as("round %d", round).hasValue(pid);
		}
		assertThat(echo(servers, "racer", "still here")).isEqualTo("still here");
	}

	@Test
	void serverIsFailedAfterTooManyRestartsAndRestartRevivesIt() {
		McpStdioServers servers = startedWithRestart("fragile", new RestartSettings(RestartPolicy.ON_FAILURE, 2,
				Duration.ofMinutes(1), Duration.ofMillis(50), Duration.ofMillis(100)));
		McpStdioServer server = servers.server("fragile");
		for (int kill = 0; kill < 3; kill++) {
			await().atMost(Duration.ofSeconds(30)).until(() -> server.state() == ServerState.RUNNING);
			ProcessHandle.of(server.pid().orElseThrow()).orElseThrow().destroyForcibly();
			await().atMost(Duration.ofSeconds(30)).until(() -> server.state() != ServerState.RUNNING);
		}
		await().atMost(Duration.ofSeconds(30)).until(() -> server.state() == ServerState.FAILED);
		long started = System.nanoTime();
		assertThatException().isThrownBy(() -> echo(servers, "fragile", "x"))
			.withMessageContaining("MCP server 'fragile' is FAILED");
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
		server.restart();
		assertThat(server.state()).isEqualTo(ServerState.RUNNING);
		assertThat(echo(servers, "fragile", "revived")).isEqualTo("revived");
	}

	@Test
	void lazyServerStartsOnFirstUse() {
		ServerDefinition definition = definition("lazy", Fixtures.spec("lazy"));
		definition = definition.toBuilder()
			.lifecycle(new ServerLifecycleSettings(true, Duration.ZERO, Startup.LAZY, true, List.of(),
					definition.initializeTimeout()))
			.build();
		McpStdioServers servers = registry(definition);
		servers.startAll().join();
		assertThat(servers.server("lazy").state()).isEqualTo(ServerState.STOPPED);
		assertThat(echo(servers, "lazy", "woken")).isEqualTo("woken");
		assertThat(servers.server("lazy").state()).isEqualTo(ServerState.RUNNING);
	}

	@Test
	void idleServerStopsAndStartsAgainOnNextUse() {
		ServerDefinition definition = definition("sleepy", Fixtures.spec("sleepy"));
		definition = definition.toBuilder()
			.lifecycle(new ServerLifecycleSettings(true, Duration.ofMillis(500), Startup.EAGER, true, List.of(),
					definition.initializeTimeout()))
			.build();
		McpStdioServers servers = registry(definition);
		servers.startAll().join();
		McpStdioServer server = servers.server("sleepy");
		long first = server.pid().orElseThrow();
		await().atMost(Duration.ofSeconds(10)).until(() -> server.state() == ServerState.STOPPED);
		assertThat(ProcessHandle.of(first).filter(ProcessTree::isRunning)).isEmpty();
		assertThat(echo(servers, "sleepy", "awake")).isEqualTo("awake");
		assertThat(server.pid().orElseThrow()).isNotEqualTo(first);
	}

	@Test
	void requestsWaitingForTheirTurnAtSessionsAreCountedForTheServer() throws Exception {
		ServerDefinition definition = ServerDefinition.builder(Fixtures.spec("queued"))
			.transportOptions(FAST_STOP.withMaxConcurrentRequests(1))
			.build()
			.withKeepAlive(false);
		McpStdioServers servers = registry(definition);
		servers.startAll().join();
		// a thread per call: the common pool may have one thread on a small machine
		ExecutorService callers = Executors.newFixedThreadPool(4);
		try (McpStdioSession first = servers.openSession("queued");
				McpStdioSession second = servers.openSession("queued")) {
			List<CompletableFuture<CallToolResult>> calls = new ArrayList<>();
			for (McpStdioSession session : List.of(first, second)) {
				for (int i = 0; i < 2; i++) {
					calls.add(CompletableFuture.supplyAsync(
							() -> session.client().callTool(new CallToolRequest("slow", Map.of("millis", 1500))),
							callers));
				}
			}
			// one call at each session's process, the other waiting its turn there
			await().atMost(Duration.ofSeconds(10)).until(() -> servers.server("queued").waitingRequests() == 2);
			for (CompletableFuture<CallToolResult> call : calls) {
				assertThat(text(call.get(30, TimeUnit.SECONDS))).isEqualTo("slept 1500");
			}
			assertThat(servers.server("queued").waitingRequests()).isZero();
		}
		finally {
			callers.shutdownNow();
		}
	}

	@Test
	void perSessionServerGivesEachSessionItsOwnProcessAndStopsItOnClose() {
		McpStdioServers servers = registry(definition("own", Fixtures.spec("own")).withKeepAlive(false));
		servers.startAll().join();
		long pid;
		McpStdioSession first = servers.openSession("own");
		McpStdioSession second = servers.openSession("own");
		try (first; second) {
			pid = Long.parseLong(text(first.client().callTool(new CallToolRequest("pid", Map.of()))));
			long other = Long.parseLong(text(second.client().callTool(new CallToolRequest("pid", Map.of()))));
			assertThat(other).isNotEqualTo(pid);
			assertThat(servers.server("own").status().sessions()).isEqualTo(2);
		}
		first.whenStopped().join();
		assertThat(ProcessHandle.of(pid).filter(ProcessTree::isRunning)).isEmpty();
		assertThat(servers.server("own").status().sessions()).isZero();
		assertThatIllegalStateException().isThrownBy(() -> servers.client("own"))
			.withMessageContaining("keep-alive: false");
	}

	@Test
	void perSessionServerIsDownWhileItsLaunchesFailAndUpOnceOneSucceeds(@TempDir Path dir) {
		// the first launch reads initialize and exits with code 3 without an answer; the
		// next ones serve
		ProcessSpec python = Fixtures.python("flaky");
		ProcessSpec spec = ProcessSpec.command("flaky", "/bin/sh",
				List.of("-c", "[ -e \"$1\" ] || { touch \"$1\"; read -r line; exit 3; }; exec \"$2\" \"$3\"", "flaky",
						dir.resolve("launched-once").toString(), python.command().get(0), python.command().get(1)))
			.build();
		McpStdioServers servers = registry(definition("flaky", spec).withKeepAlive(false));
		servers.startAll().join();
		McpStdioServer server = servers.server("flaky");
		assertThat(new McpStdioServerHealthIndicator(server).health().getStatus()).isEqualTo(Status.UP);
		assertThatException().isThrownBy(() -> servers.openSession("flaky").close())
			.withMessageContaining("MCP server 'flaky'");
		assertThat(server.state()).isEqualTo(ServerState.ON_DEMAND);
		Health down = new McpStdioServerHealthIndicator(server).health();
		assertThat(down.getStatus()).isEqualTo(Status.DOWN);
		assertThat(String.valueOf(down.getDetails().get("lastError"))).contains("code 3");
		try (McpStdioSession session = servers.openSession("flaky")) {
			assertThat(text(session.client().callTool(new CallToolRequest("echo", Map.of("text", "up")))))
				.isEqualTo("up");
		}
		assertThat(new McpStdioServerHealthIndicator(server).health().getStatus()).isEqualTo(Status.UP);
	}

	@Test
	void dependentsDeclaredBeforeTheirDependenciesStartAndStop() {
		// names whose hashes share a bucket once broke a recursive computeIfAbsent
		McpStdioServers servers = registry(eager("git", "memory"), eager("memory"), eager("db", "postgres"),
				eager("postgres"));
		ListAppender<ILoggingEvent> events = new ListAppender<>();
		events.start();
		Logger launcher = (Logger) LoggerFactory.getLogger(ProcessLauncher.class);
		Logger server = (Logger) LoggerFactory.getLogger(KeepAliveStateMachine.class);
		launcher.setLevel(Level.DEBUG);
		server.setLevel(Level.DEBUG);
		launcher.addAppender(events);
		server.addAppender(events);
		try {
			servers.startAll().join();
			servers.stopAll();
		}
		finally {
			launcher.detachAppender(events);
			launcher.setLevel(null);
			server.setLevel(null);
			server.detachAppender(events);
		}
		List<String> log = events.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
		// a dependent is launched only once its dependency answered initialize, and stops
		// first
		assertThat(indexOf(log, "Started MCP server 'git'"))
			.isGreaterThan(indexOf(log, "MCP server 'memory' is running"));
		assertThat(indexOf(log, "Started MCP server 'db'"))
			.isGreaterThan(indexOf(log, "MCP server 'postgres' is running"));
		assertThat(indexOf(log, "MCP server 'git' stopped")).isLessThan(indexOf(log, "MCP server 'memory' stopped"));
		assertThat(indexOf(log, "MCP server 'db' stopped")).isLessThan(indexOf(log, "MCP server 'postgres' stopped"));
		assertThat(servers.servers()).extracting(McpStdioServer::state).containsOnly(ServerState.STOPPED);
	}

	private static int indexOf(List<String> log, String start) {
		for (int i = 0; i < log.size(); i++) {
			if (log.get(i).startsWith(start)) {
				return i;
			}
		}
		throw new AssertionError("no log line starts with \"" + start + "\" in " + log);
	}

	private static ServerDefinition eager(String name, String... dependsOn) {
		ServerDefinition d = definition(name, Fixtures.spec(name));
		return d.toBuilder()
			.lifecycle(new ServerLifecycleSettings(true, Duration.ZERO, Startup.EAGER, true, List.of(dependsOn),
					d.initializeTimeout()))
			.build();
	}

	@Test
	void unknownNameListsTheConfiguredOnes() {
		McpStdioServers servers = registry(definition("a", Fixtures.spec("a")));
		assertThatIllegalArgumentException().isThrownBy(() -> servers.client("b"))
			.withMessageContaining("No MCP server named 'b'")
			.withMessageContaining("[a]");
	}

	@Test
	void startFailureOfRequiredServerCarriesExitCodeAndStderr() {
		McpStdioServers servers = registry(definition("broken", Fixtures.spec("broken", "--die-on-initialize=7")));
		assertThatException().isThrownBy(() -> servers.startAll().join())
			.withMessageContaining("MCP server 'broken'")
			.withMessageContaining("code 7")
			.withMessageContaining("cannot initialize: missing configuration");
	}

	@Test
	void initializeTimeoutNamesServerMethodAndTimeout() {
		ServerDefinition definition = definition("mute", Fixtures.spec("mute", "--never-initialize"));
		definition = definition.toBuilder()
			.lifecycle(new ServerLifecycleSettings(true, Duration.ZERO, Startup.EAGER, true, List.of(),
					Duration.ofSeconds(2)))
			.build();
		McpStdioServers servers = registry(definition);
		assertThatException().isThrownBy(() -> servers.startAll().join())
			.withMessageContaining("MCP server 'mute' did not answer 'initialize' within initialize-timeout PT2S");
	}

	@Test
	void stopIssuedWhileStartIsUnderWayWinsEveryTime() {
		McpStdioServers servers = registry(definition("contested", Fixtures.spec("contested")));
		McpStdioServer server = servers.server("contested");
		for (int round = 0; round < 10; round++) {
			CompletableFuture<Void> start = servers.start("contested");
			servers.stop("contested").join();
			start.exceptionally((ex) -> null).join();
			assertThat(server.state()).as("round %d", round).isEqualTo(ServerState.STOPPED);
			assertThat(server.pid()).as("round %d", round).isEmpty();
		}
	}

	@Test
	void unansweredPingIsCancelledAtItsPingTimeout() {
		McpStdioServers servers = registry(withHealth(definition("deaf", Fixtures.spec("deaf", "--hang-pings")),
				new HealthSettings(Duration.ofMillis(50), Duration.ofMillis(100), 3)));
		servers.startAll().join();
		McpStdioServer server = servers.server("deaf");
		await().atMost(Duration.ofSeconds(10))
			.until(() -> server.status()
				.stderrTail()
				.stream()
				.anyMatch((line) -> line
					.matches("cancelled mcp-stdio-ping-\\d+: health\\.ping-timeout PT0\\.1S exceeded")));
	}

	@Test
	void unansweredPingsMakeTheServerFailingAfterTheThreshold() {
		McpStdioServers servers = registry(withHealth(definition("deaf", Fixtures.spec("deaf", "--hang-pings")),
				new HealthSettings(Duration.ofMillis(50), Duration.ofMillis(100), 3)));
		servers.startAll().join();
		McpStdioServer server = servers.server("deaf");
		await().atMost(Duration.ofSeconds(10)).until(() -> server.status().pings().failing());
		assertThat(server.status().pings().consecutiveFailures()).isGreaterThanOrEqualTo(3);
		assertThat(server.status().pings().supported()).isTrue();
		assertThat(server.state()).isEqualTo(ServerState.RUNNING);
		assertThat(new McpStdioServerHealthIndicator(server).health().getStatus()).isEqualTo(Status.DOWN);
		assertThat(echo(servers, "deaf", "still answers calls")).isEqualTo("still answers calls");
	}

	@Test
	void serverThatDoesNotKnowPingIsJudgedByItsProcessAlone() {
		McpStdioServers servers = registry(withHealth(definition("pingless", Fixtures.spec("pingless", "--no-ping")),
				// a ping-timeout no answer of a busy machine reaches: one late answer
				// would be a failure
				new HealthSettings(Duration.ofMillis(50), Duration.ofSeconds(10), 1)));
		servers.startAll().join();
		McpStdioServer server = servers.server("pingless");
		await().atMost(Duration.ofSeconds(10)).until(() -> !server.status().pings().supported());
		assertThat(server.status().pings().failing()).isFalse();
		assertThat(server.status().pings().consecutiveFailures()).isZero();
		assertThat(server.state()).isEqualTo(ServerState.RUNNING);
		assertThat(new McpStdioServerHealthIndicator(server).health().getStatus()).isEqualTo(Status.UP);
	}

	private static ServerDefinition withHealth(ServerDefinition d, HealthSettings health) {
		return d.toBuilder().health(health).build();
	}

	private McpStdioServers registry(ServerDefinition... definitions) {
		McpStdioServers servers = new McpStdioServers(List.of(definitions), ProcessLauncher.shared(),
				McpJsonDefaults.getMapper(), Clock.systemUTC());
		this.registries.add(servers);
		return servers;
	}

	static ServerDefinition definition(String name, ProcessSpec spec) {
		return ServerDefinition.builder(spec)
			.transportOptions(FAST_STOP)
			.lifecycle(new ServerLifecycleSettings(true, Duration.ZERO, Startup.EAGER, true, List.of(),
					Duration.ofSeconds(30)))
			.build();
	}

	/** A registry with one fixture server of that name and restart settings, started. */
	private McpStdioServers startedWithRestart(String name, RestartSettings restart) {
		McpStdioServers servers = registry(withRestart(definition(name, Fixtures.spec(name)), restart));
		servers.startAll().join();
		return servers;
	}

	private static ServerDefinition withRestart(ServerDefinition d, RestartSettings restart) {
		return d.toBuilder().restart(restart).build();
	}

	private static String echo(McpStdioServers servers, String name, String text) {
		return text(servers.client(name).callTool(new CallToolRequest("echo", Map.of("text", text))));
	}

	private static String text(CallToolResult result) {
		return ((TextContent) result.content().get(0)).text();
	}

}
