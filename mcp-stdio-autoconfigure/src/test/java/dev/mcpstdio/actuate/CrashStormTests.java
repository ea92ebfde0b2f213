package dev.mcpstdio.actuate;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.mcpstdio.process.ProcessLauncher;
import dev.mcpstdio.server.McpStdioServer;
import dev.mcpstdio.server.McpStdioServers;
import dev.mcpstdio.server.ServerState;
import dev.mcpstdio.transport.error.McpStdioTimeoutException;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A crash storm: the server's child is killed every 200 ms for 30 s while 8 callers call
 * it. Every call succeeds or fails clearly, long before its timeout; restarts wait the
 * backoff; past max-restarts the server is FAILED and DOWN; the endpoint's restart
 * revives it.
 */
@SpringBootTest(classes = ActuatorTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
		"mcp.stdio.servers.storm.java.main-class=dev.mcpstdio.fixture.FixtureServer",
		"mcp.stdio.servers.storm.java.jvm-args=-Xmx48m,-XX:+UseSerialGC,-XX:TieredStopAtLevel=1,-Xshare:auto",
		"mcp.stdio.servers.storm.request-timeout=30s", "mcp.stdio.servers.storm.restart.policy=on-failure",
		"mcp.stdio.servers.storm.restart.max-restarts=20", "mcp.stdio.servers.storm.restart.window=5m",
		"mcp.stdio.servers.storm.restart.initial-backoff=50ms", "mcp.stdio.servers.storm.restart.max-backoff=800ms",
		"mcp.stdio.servers.storm.shutdown.eof-timeout=500ms", "mcp.stdio.servers.storm.shutdown.term-timeout=500ms",
		"mcp.stdio.servers.storm.stderr.level=off", "management.endpoints.web.exposure.include=health,mcpstdio",
		"management.endpoint.health.show-details=always", "management.endpoint.mcpstdio.access=unrestricted",
		"spring.main.banner-mode=off" })
@DirtiesContext
class CrashStormTests {

	private static final Duration STORM = Duration.ofSeconds(30);

	private static final Duration KILL_EVERY = Duration.ofMillis(200);

	private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

	private static final int CALLERS = 8;

	private static final Pattern RESTARTING = Pattern
		.compile("MCP server 'storm': (?:restarting it|trying to start it again) in PT([\\d.]+)S");

	@LocalServerPort
	int port;

	@Autowired
	McpStdioServers servers;

	private final ListAppender<ILoggingEvent> events = new ListAppender<>();

	@BeforeEach
	void listen() {
		this.events.start();
		logger(ProcessLauncher.class).setLevel(Level.DEBUG);
		logger(ProcessLauncher.class).addAppender(this.events);
		logger(McpStdioServer.class.getPackageName() + ".RestartTracker").addAppender(this.events);
	}

	@AfterEach
	void stopListening() {
		logger(ProcessLauncher.class).setLevel(null);
		logger(ProcessLauncher.class).detachAppender(this.events);
		logger(McpStdioServer.class.getPackageName() + ".RestartTracker").detachAppender(this.events);
	}

	@Test
	void childKilledEvery200msUnderEightCallersFailsCallsClearlyBacksOffThenFailsAndIsRevived() throws Exception {
		McpStdioServer server = this.servers.server("storm");
		await().atMost(Duration.ofSeconds(30)).until(() -> server.state() == ServerState.RUNNING);
		Storm storm = new Storm(server);
		ExecutorService pool = Executors.newFixedThreadPool(CALLERS + 1);
		List<Future<?>> callers = new ArrayList<>();
		for (int c = 0; c < CALLERS; c++) {
			int caller = c;
			callers.add(pool.submit(() -> storm.call(caller)));
		}
		Future<?> killer = pool.submit(storm::kill);
		killer.get(STORM.toSeconds() + 120, TimeUnit.SECONDS);
		for (Future<?> caller : callers) {
			caller.get(REQUEST_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		}
		pool.shutdown();
		System.out.println("crash storm: " + storm);

		assertThat(storm.unclear).as("every failure names the server").isEmpty();
		assertThat(storm.mismatches).hasValue(0);
		assertThat(storm.timedOut).as("no call waits for its %s timeout", REQUEST_TIMEOUT).isEmpty();
		assertThat(storm.succeeded).as("calls get through between the kills").hasPositiveValue();
		assertThat(storm.failed).hasPositiveValue();
		assertThat(server.state()).isEqualTo(ServerState.FAILED);
		assertRestartsFollowTheBackoff();

		Http http = new Http(this.port);
		Map<String, Object> health = component(http.get("/actuator/health").json());
		assertThat(health).containsEntry("status", "DOWN");
		assertThat(details(health)).containsEntry("state", "FAILED").containsEntry("restarts", 20);
		Http.Response restart = http.post("/actuator/mcpstdio/storm/restart");
		assertThat(restart.status()).isEqualTo(200);
		assertThat(restart.json()).containsEntry("state", "RUNNING");
		assertThat(echo("after the storm")).isEqualTo("after the storm");
		assertThat(component(http.get("/actuator/health").json())).containsEntry("status", "UP");
	}

	/**
	 * Each restart announced its backoff (initial-backoff doubled per restart, capped at
	 * max-backoff), and the next process was not launched before that backoff ran out.
	 */
	private void assertRestartsFollowTheBackoff() {
		List<Long> announced = new ArrayList<>();
		List<Long> waited = new ArrayList<>();
		Long restartingAt = null;
		for (ILoggingEvent event : List.copyOf(this.events.list)) {
			String message = event.getFormattedMessage();
			Matcher restarting = RESTARTING.matcher(message);
			if (restarting.find()) {
				announced.add(Math.round(Double.parseDouble(restarting.group(1)) * 1000));
				restartingAt = event.getTimeStamp();
			}
			else if (restartingAt != null && message.startsWith("Started MCP server 'storm'")) {
				waited.add(event.getTimeStamp() - restartingAt);
				restartingAt = null;
			}
		}
		List<Long> expected = new ArrayList<>(List.of(50L, 100L, 200L, 400L));
		while (expected.size() < 20) {
			expected.add(800L);
		}
		assertThat(announced).isEqualTo(expected);
		assertThat(waited).hasSize(announced.size());
		for (int i = 0; i < waited.size(); i++) {
			assertThat(waited.get(i)).as("launch %d waited its backoff of %d ms", i + 1, announced.get(i))
				.isGreaterThanOrEqualTo(announced.get(i));
		}
		System.out
			.println("crash storm: backoffs announced " + announced + " ms; launches came after " + waited + " ms");
	}

	private String echo(String text) {
		return ((TextContent) this.servers.client("storm")
			.callTool(new CallToolRequest("echo", Map.of("text", text)))
			.content()
			.get(0)).text();
	}

	private static Logger logger(Class<?> type) {
		return logger(type.getName());
	}

	private static Logger logger(String name) {
		return (Logger) LoggerFactory.getLogger(name);
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> component(Map<String, Object> health) {
		Map<String, Object> components = (Map<String, Object>) health.get("components");
		Map<String, Object> mcp = (Map<String, Object>) components.get("mcpStdio");
		return (Map<String, Object>) ((Map<String, Object>) mcp.get("components")).get("storm");
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> details(Map<String, Object> component) {
		return (Map<String, Object>) component.get("details");
	}

	/** The killer and the callers, and what they saw. */
	private final class Storm {

		private final McpStdioServer server;

		private final AtomicBoolean raging = new AtomicBoolean(true);

		private final AtomicInteger kills = new AtomicInteger();

		private final AtomicInteger succeeded = new AtomicInteger();

		private final AtomicInteger failed = new AtomicInteger();

		private final AtomicInteger refusedAsFailed = new AtomicInteger();

		private final AtomicInteger mismatches = new AtomicInteger();

		private final AtomicLong slowest = new AtomicLong();

		private final Queue<String> unclear = new ConcurrentLinkedQueue<>();

		private final Queue<String> timedOut = new ConcurrentLinkedQueue<>();

		private volatile long failedAfterNanos = -1;

		private final long started = System.nanoTime();

		Storm(McpStdioServer server) {
			this.server = server;
		}

		/**
		 * Kills the current child every 200 ms for 30 s, and on until the server is
		 * FAILED.
		 */
		void kill() {
			long end = this.started + STORM.toNanos();
			long deadline = end + Duration.ofSeconds(90).toNanos();
			long next = System.nanoTime();
			while (System.nanoTime() < end
					|| (this.server.state() != ServerState.FAILED && System.nanoTime() < deadline)) {
				this.server.pid().ifPresent((pid) -> ProcessHandle.of(pid).ifPresent((child) -> {
					if (child.destroyForcibly()) {
						this.kills.incrementAndGet();
					}
				}));
				if (this.failedAfterNanos < 0 && this.server.state() == ServerState.FAILED) {
					this.failedAfterNanos = System.nanoTime() - this.started;
				}
				next += KILL_EVERY.toNanos();
				LockSupport.parkNanos(next - System.nanoTime());
			}
			this.raging.set(false);
		}

		/** Calls echo with payloads of its own until the storm ends. */
		void call(int caller) {
			for (int i = 0; this.raging.get(); i++) {
				String payload = caller + ":" + i;
				long callStarted = System.nanoTime();
				try {
					if (!payload.equals(echo(payload))) {
						this.mismatches.incrementAndGet();
					}
					this.succeeded.incrementAndGet();
				}
				catch (RuntimeException ex) {
					this.failed.incrementAndGet();
					if (String.valueOf(ex.getMessage()).contains("MCP server 'storm' is FAILED")) {
						this.refusedAsFailed.incrementAndGet();
					}
					if (ex.getMessage() == null || !ex.getMessage().contains("MCP server 'storm'")) {
						this.unclear.add(String.valueOf(ex));
					}
					if (timedOut(ex)) {
						this.timedOut.add(String.valueOf(ex));
					}
					// a FAILED server fails at once: pace the retries rather than spin
					LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
				}
				this.slowest.accumulateAndGet(System.nanoTime() - callStarted, Math::max);
			}
		}

		/** Whether a call failed at its timeout: the starter's, or the client's own. */
		private static boolean timedOut(Throwable failure) {
			for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
				if (cause instanceof McpStdioTimeoutException || cause instanceof TimeoutException) {
					return true;
				}
			}
			return false;
		}

		@Override
		public String toString() {
			return String.format("%d kills in %d s, %d callers: %d calls succeeded, %d failed with a clear error"
					+ " (%d of them refused at once as FAILED, %d unclear), slowest call %d ms (timeout %d s), FAILED after %d ms",
					this.kills.get(), Duration.ofNanos(System.nanoTime() - this.started).toSeconds(), CALLERS,
					this.succeeded.get(), this.failed.get(), this.refusedAsFailed.get(), this.unclear.size(),
					Duration.ofNanos(this.slowest.get()).toMillis(), REQUEST_TIMEOUT.toSeconds(),
					Duration.ofNanos(this.failedAfterNanos).toMillis());
		}

	}

}
