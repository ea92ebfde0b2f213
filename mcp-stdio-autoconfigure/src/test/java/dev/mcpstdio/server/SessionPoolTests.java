package dev.mcpstdio.server;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.mcpstdio.actuate.McpStdioMetrics;
import dev.mcpstdio.actuate.McpStdioServerHealthIndicator;
import dev.mcpstdio.fixture.Fixtures;
import dev.mcpstdio.process.ProcessLauncher;
import dev.mcpstdio.process.StopTimeouts;
import dev.mcpstdio.process.platform.ProcessTree;
import dev.mcpstdio.transport.StdioTransportOptions;
import dev.mcpstdio.transport.error.McpStdioTimeoutException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Per-session servers with a pool and a bound, on real processes (the Python fixture,
 * which starts fast), each test's processes marked so they can be counted.
 */
class SessionPoolTests {

	private static final StdioTransportOptions FAST = StdioTransportOptions.defaults()
		.withStopTimeouts(Duration.ofSeconds(1), new StopTimeouts(Duration.ofMillis(500), Duration.ofMillis(500)));

	/** A ladder whose SIGKILL comes 6 s after the close at the earliest. */
	private static final StdioTransportOptions STUBBORN_LADDER = FAST.withStopTimeouts(Duration.ofSeconds(1),
			new StopTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(1)));

	/** A ladder that waits a minute for an exit after EOF: the test ends the tree. */
	private static final StdioTransportOptions PATIENT_LADDER = FAST.withStopTimeouts(Duration.ofSeconds(1),
			new StopTimeouts(Duration.ofMinutes(1), Duration.ofSeconds(1)));

	private final String mark = "--mark=" + UUID.randomUUID();

	private final List<McpStdioServers> registries = new ArrayList<>();

	private final ExecutorService callers = Executors.newCachedThreadPool();

	@AfterEach
	void close() {
		this.registries.forEach(McpStdioServers::close);
		this.callers.shutdownNow();
		assertThat(Fixtures.runningWith(this.mark)).isEmpty();
	}

	@Test
	void poolRefillsAfterEachSessionAndNeverReusesAProcess() {
		McpStdioServers servers = started("pooled", 2, 4, Duration.ofSeconds(30));
		McpStdioServer server = servers.server("pooled");
		await().atMost(Duration.ofSeconds(10)).until(() -> idle(server) == 2);
		Set<String> pids = new HashSet<>();
		for (int i = 0; i < 5; i++) {
			McpStdioSession session = servers.openSession("pooled");
			try (session) {
				assertThat(pids.add(call(session, "pid"))).as("a process serves one session").isTrue();
			}
			session.whenStopped().join();
			await().atMost(Duration.ofSeconds(10)).until(() -> idle(server) == 2);
		}
		assertThat(Fixtures.runningWith(this.mark)).hasSize(2);
	}

	@Test
	void burstOf40SessionsNeverExceedsMaxSessionsAndAllAreServed() throws Exception {
		McpStdioServers servers = started("bounded", 0, 4, Duration.ofSeconds(60));
		AtomicBoolean sampling = new AtomicBoolean(true);
		AtomicInteger peak = new AtomicInteger();
		Future<?> sampler = this.callers.submit(() -> {
			while (sampling.get()) {
				// the servers' own processes: the children of this JVM
				long live = Fixtures.runningWith(this.mark)
					.stream()
					.filter((process) -> process.parent().equals(Optional.of(ProcessHandle.current())))
					.count();
				peak.accumulateAndGet((int) live, Math::max);
			}
		});
		List<CompletableFuture<String>> sessions = new ArrayList<>();
		for (int i = 0; i < 40; i++) {
			String text = "call " + i;
			sessions.add(CompletableFuture.supplyAsync(() -> {
				try (McpStdioSession session = servers.openSession("bounded")) {
					return echo(session, text);
				}
			}, this.callers));
		}
		for (int i = 0; i < 40; i++) {
			assertThat(sessions.get(i).get()).isEqualTo("call " + i);
		}
		sampling.set(false);
		sampler.get();
		assertThat(peak.get()).isBetween(1, 4);
		assertThat(servers.server("bounded").status().pool().waits()).isPositive();
		assertThat(servers.server("bounded").status().pool().refusals()).isZero();
	}

	@Test
	void waitingSessionGetsTheSlotAnotherSessionFrees() throws Exception {
		McpStdioServers servers = started("single", 0, 1, Duration.ofSeconds(30));
		McpStdioSession first = servers.openSession("single");
		CompletableFuture<Thread> waiting = new CompletableFuture<>();
		Future<String> second = this.callers.submit(() -> {
			waiting.complete(Thread.currentThread());
			try (McpStdioSession session = servers.openSession("single")) {
				return echo(session, "second");
			}
		});
		Thread thread = waiting.get();
		await().atMost(Duration.ofSeconds(10)).until(() -> thread.getState() == Thread.State.TIMED_WAITING);
		assertThat(second).isNotDone();
		first.close();
		assertThat(second.get()).isEqualTo("second");
		assertThat(servers.server("single").status().pool().waits()).isOne();
	}

	@Test
	void sessionPastItsWaitFailsNamingTheServerAndTheLimit() {
		// the refused session waits this long for a slot; the held one's call must
		// answer within it
		McpStdioServers servers = started("full", 0, 1, Duration.ofSeconds(2));
		try (McpStdioSession held = servers.openSession("full")) {
			assertThatExceptionOfType(McpStdioTimeoutException.class).isThrownBy(() -> servers.openSession("full"))
				.withMessageContaining("MCP server 'full'")
				.withMessageContaining("max-sessions 1")
				.withMessageContaining("mcp.stdio.servers.full.max-sessions");
			assertThat(echo(held, "still served")).isEqualTo("still served");
		}
		assertThat(servers.server("full").status().pool().refusals()).isOne();
	}

	@Test
	void idlePooledProcessKilledFromOutsideIsReplaced() {
		McpStdioServers servers = started("replaced", 1, 2, Duration.ofSeconds(30));
		McpStdioServer server = servers.server("replaced");
		await().atMost(Duration.ofSeconds(10)).until(() -> Fixtures.runningWith(this.mark).size() == 1);
		ProcessHandle pooled = Fixtures.runningWith(this.mark).get(0);
		pooled.destroyForcibly();
		await().atMost(Duration.ofSeconds(10))
			.until(() -> Fixtures.runningWith(this.mark).size() == 1 && idle(server) == 1
					&& !Fixtures.runningWith(this.mark).contains(pooled));
		assertThat(server.status().restarts()).isOne();
		try (McpStdioSession session = servers.openSession("replaced")) {
			assertThat(echo(session, "after")).isEqualTo("after");
		}
	}

	@Test
	void stopEndsIdleAndOpenProcesses() {
		// a stop that waited for the open session's close, or for its request-timeout,
		// would not return within 30 s
		McpStdioServers servers = started("closing", 2, 4, Duration.ofMinutes(10));
		await().atMost(Duration.ofSeconds(10)).until(() -> idle(servers.server("closing")) == 2);
		McpStdioSession open = servers.openSession("closing");
		assertThat(echo(open, "open")).isEqualTo("open");
		// the stop ends the open session rather than wait for its close, which comes
		// after
		assertTimeoutPreemptively(Duration.ofSeconds(30), servers::stopAll);
		assertThat(open.whenStopped()).isDone();
		assertThat(Fixtures.runningWith(this.mark)).isEmpty();
		assertThat(servers.server("closing").status().pool().idle()).isZero();
	}

	@Test
	void metricsAndHealthShowOpenSessionsIdleProcessesWaitsAndRefusals() {
		// the refused session waits this long for a slot, the third for the process the
		// pool starts: a start on a busy machine must fit
		McpStdioServers servers = started("measured", 2, 3, Duration.ofSeconds(5));
		McpStdioServer server = servers.server("measured");
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		new McpStdioMetrics(servers).bindTo(registry);
		await().atMost(Duration.ofSeconds(10)).until(() -> idle(server) == 2);
		try (McpStdioSession one = servers.openSession("measured");
				McpStdioSession two = servers.openSession("measured");
				McpStdioSession three = servers.openSession("measured")) {
			assertThatExceptionOfType(McpStdioTimeoutException.class).isThrownBy(() -> servers.openSession("measured"));
			assertThat(
					registry.get("mcp.stdio.sessions").tag("server", "measured").tag("state", "open").gauge().value())
				.isEqualTo(3);
			assertThat(registry.get("mcp.stdio.sessions").tag("state", "idle").gauge().value()).isZero();
			// the refused session waited, and so may the third, for the process the pool
			// was starting
			assertThat(registry.get("mcp.stdio.sessions.waits").functionCounter().count()).isBetween(1.0, 2.0);
			assertThat(registry.get("mcp.stdio.sessions.refused").functionCounter().count()).isOne();
			Health health = new McpStdioServerHealthIndicator(server).health();
			assertThat(health.getStatus()).isEqualTo(Status.UP);
			assertThat(server.state()).isEqualTo(ServerState.ON_DEMAND);
			assertThat(server.pid()).as("a per-session server has no process of its own").isEmpty();
			assertThat(List.of(one, two, three)).allSatisfy((session) -> {
				assertThat(session.pid()).isPresent();
				assertThat(ProcessHandle.of(session.pid().getAsLong())).isPresent();
			});
			assertThat(one.pid()).isNotEqualTo(two.pid());
			Map<String, Object> details = health.getDetails();
			assertThat(details).containsEntry("state", ServerState.ON_DEMAND)
				.containsEntry("sessions", 3)
				.containsEntry("idle", 0)
				.containsEntry("maxSessions", 3)
				.containsEntry("sessionsRefused", 1L);
		}
		await().atMost(Duration.ofSeconds(10))
			.until(() -> registry.get("mcp.stdio.sessions").tag("state", "idle").gauge().value() == 2);
	}

	@Test
	void noProcessOrThreadIsLeftAfter200PooledSessions() {
		McpStdioServers servers = started("churn", 2, 4, Duration.ofSeconds(30));
		List<CompletableFuture<Void>> stops = new ArrayList<>();
		for (int i = 0; i < 200; i++) {
			McpStdioSession session = servers.openSession("churn");
			try (session) {
				assertThat(echo(session, "n" + i)).isEqualTo("n" + i);
			}
			stops.add(session.whenStopped());
		}
		stops.forEach(CompletableFuture::join);
		assertThat(Fixtures.runningWith(this.mark)).hasSizeLessThanOrEqualTo(2);
		servers.close();
		assertThat(Fixtures.runningWith(this.mark)).isEmpty();
		await().atMost(Duration.ofSeconds(5)).until(() -> Fixtures.threadsNamed("mcp-stdio-churn-").isEmpty());
	}

	@Test
	void closeReturnsBeforeAStubbornProcessIsGoneAndItsSlotStaysTakenUntilItIs() throws Exception {
		McpStdioServers servers = started("stubborn", 0, 1, Duration.ofSeconds(60), PATIENT_LADDER, "--stubborn");
		McpStdioSession first = servers.openSession("stubborn");
		assertThat(echo(first, "first")).isEqualTo("first");
		List<ProcessHandle> tree = Fixtures.runningWith(this.mark);
		assertThat(tree).as("the server and its grandchild").hasSize(2);
		first.close();
		// its ladder waits a minute for an exit after EOF: close did not
		assertThat(first.whenStopped()).isNotDone();
		assertThat(tree).allMatch(ProcessTree::isRunning);
		assertThat(servers.server("stubborn").status().sessions()).isZero();
		assertThat(servers.server("stubborn").status().pool().stopping()).isOne();
		// but its process refuses new requests from the close on
		assertThatException().isThrownBy(() -> echo(first, "too late"))
			.withMessageContaining("MCP server 'stubborn' is stopping and refuses new requests");
		// max-sessions 1: the next session waits for the slot, which the tree's end frees
		AtomicBoolean firstGone = new AtomicBoolean();
		CompletableFuture<McpStdioSession> second = WaitingCalls.waiting(this.callers, () -> {
			McpStdioSession session = servers.openSession("stubborn");
			firstGone.set(first.whenStopped().isDone() && tree.stream().noneMatch(ProcessTree::isRunning));
			return session;
		});
		assertThat(second).isNotDone();
		tree.forEach(ProcessHandle::destroyForcibly);
		try (McpStdioSession session = second.get(30, TimeUnit.SECONDS)) {
			assertThat(firstGone).as("the slot came once the first tree was gone").isTrue();
			assertThat(servers.server("stubborn").status().pool().stopping()).isZero();
			assertThat(echo(session, "second")).isEqualTo("second");
			// ends the second tree too, which its ladder would wait a minute for
			Fixtures.runningWith(this.mark).forEach(ProcessHandle::destroyForcibly);
		}
	}

	@Test
	void stopWaitsForTheSessionsStillStopping() {
		McpStdioServers servers = started("late", 0, 4, Duration.ofSeconds(30), STUBBORN_LADDER, "--stubborn");
		List<McpStdioSession> sessions = List.of(servers.openSession("late"), servers.openSession("late"));
		sessions.forEach((session) -> assertThat(echo(session, "x")).isEqualTo("x"));
		sessions.forEach(McpStdioSession::close);
		assertThat(sessions).noneMatch((session) -> session.whenStopped().isDone());
		servers.stopAll();
		assertThat(sessions).allMatch((session) -> session.whenStopped().isDone());
		assertThat(Fixtures.runningWith(this.mark)).isEmpty();
	}

	@Test
	void noProcessIsLeftAfter200PooledSessionsOfAStubbornServer() {
		StdioTransportOptions quick = FAST.withStopTimeouts(Duration.ofMillis(100),
				new StopTimeouts(Duration.ofMillis(100), Duration.ofMillis(100)));
		McpStdioServers servers = started("stubborn-churn", 2, 16, Duration.ofSeconds(30), quick, "--stubborn");
		for (int i = 0; i < 200; i++) {
			try (McpStdioSession session = servers.openSession("stubborn-churn")) {
				assertThat(echo(session, "n" + i)).isEqualTo("n" + i);
			}
		}
		servers.close();
		assertThat(Fixtures.runningWith(this.mark)).isEmpty();
	}

	private McpStdioServers started(String name, int minIdle, int maxSessions, Duration requestTimeout) {
		return started(name, minIdle, maxSessions, requestTimeout, FAST);
	}

	private McpStdioServers started(String name, int minIdle, int maxSessions, Duration requestTimeout,
			StdioTransportOptions options, String... flags) {
		List<String> marks = new ArrayList<>(List.of(this.mark));
		marks.addAll(List.of(flags));
		ServerDefinition definition = ServerDefinition.builder(Fixtures.python(name, marks.toArray(String[]::new)))
			.transportOptions(options.withRequestTimeout(requestTimeout))
			.lifecycle(new ServerLifecycleSettings(false, Duration.ZERO, Startup.EAGER, true, List.of(),
					Duration.ofSeconds(20)))
			.sessions(new SessionSettings(minIdle, maxSessions))
			.build();
		McpStdioServers servers = new McpStdioServers(List.of(definition), ProcessLauncher.shared(),
				McpJsonDefaults.getMapper(), Clock.systemUTC());
		this.registries.add(servers);
		servers.startAll().join();
		return servers;
	}

	private static int idle(McpStdioServer server) {
		return server.status().pool().idle();
	}

	private static String echo(McpStdioSession session, String text) {
		return text(session, "echo", Map.of("text", text));
	}

	private static String call(McpStdioSession session, String tool) {
		return text(session, tool, Map.of());
	}

	private static String text(McpStdioSession session, String tool, Map<String, Object> arguments) {
		return ((TextContent) session.client().callTool(new CallToolRequest(tool, arguments)).content().get(0)).text();
	}

}
