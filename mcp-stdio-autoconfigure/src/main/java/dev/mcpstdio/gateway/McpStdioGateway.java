package dev.mcpstdio.gateway;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.ToIntFunction;

import dev.mcpstdio.server.McpStdioClientCustomizer;
import dev.mcpstdio.server.McpStdioServers;
import dev.mcpstdio.server.ProcessOverrides;
import io.modelcontextprotocol.json.McpJsonMapper;
import jakarta.servlet.http.HttpServlet;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;

/**
 * The gateway: the managed servers over MCP's Streamable HTTP, served by its
 * {@link #servlet()} at {@code base-path/NAME}. A {@link SmartLifecycle} that stops
 * before the web server's graceful shutdown and the servers, by draining: new sessions
 * are refused (503, so a proxy passes them to another instance), requests in flight
 * finish within {@code drain-timeout} while the open sessions are still served, then the
 * sessions end (404 from then on) and their own processes stop through the ladder.
 */
public final class McpStdioGateway implements SmartLifecycle {

	/** Before the web server's graceful shutdown ({@code DEFAULT_PHASE - 1024}). */
	public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 512;

	private static final Logger logger = LoggerFactory.getLogger(McpStdioGateway.class);

	/** How often a drain looks at the requests in flight. */
	private static final Duration DRAIN_POLL = Duration.ofMillis(10);

	private final McpStdioServers servers;

	private final GatewaySettings settings;

	private final Messages messages;

	private final Clock clock;

	private final GatewaySessions sessions;

	private final List<GatewayObserver> observers = new CopyOnWriteArrayList<>();

	private final GatewayObserver observer = new Observers(this.observers);

	private @Nullable ScheduledExecutorService sweeper;

	private volatile boolean running;

	private volatile boolean draining;

	/**
	 * Creates the gateway.
	 * @param servers the servers it serves
	 * @param settings its configuration
	 * @param jsonMapper reads and writes the messages
	 * @param clock the time idle sessions are judged by
	 */
	public McpStdioGateway(McpStdioServers servers, GatewaySettings settings, McpJsonMapper jsonMapper, Clock clock) {
		this(servers, settings, jsonMapper, clock, (server, subject) -> ProcessOverrides.NONE);
	}

	/**
	 * A gateway whose callers' own processes ({@code process-per: subject}) get what the
	 * customizer says.
	 */
	public McpStdioGateway(McpStdioServers servers, GatewaySettings settings, McpJsonMapper jsonMapper, Clock clock,
			SubjectProcessCustomizer subjectProcesses) {
		this.servers = servers;
		this.settings = settings;
		this.messages = new Messages(jsonMapper);
		this.clock = clock;
		this.sessions = new GatewaySessions(servers, settings, this.messages, clock, this.observer,
				new SubjectProcesses(servers, subjectProcesses));
	}

	/** The servlet to map at {@code base-path/*}. */
	public HttpServlet servlet() {
		return new GatewayServlet(this.servers, this.sessions, this.settings, this.messages, this.observer);
	}

	/**
	 * Adds an observer of the gateway's requests, for metrics.
	 * @param observer the observer
	 */
	public void addObserver(GatewayObserver observer) {
		this.observers.add(observer);
	}

	/** The most sessions open at once. */
	public int maxSessions() {
		return this.settings.maxSessions();
	}

	/** The open sessions by server, for every server served. */
	public Map<String, Integer> sessionsByServer() {
		return byServer(this.sessions::count);
	}

	/** Ends the sessions idle past {@code session-idle-timeout} now. */
	public void endIdleSessions() {
		this.sessions.endIdle(this.clock.instant());
	}

	@Override
	public synchronized void start() {
		ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "mcp-stdio-gateway-idle");
			thread.setDaemon(true);
			return thread;
		});
		long period = period(this.settings).toMillis();
		scheduler.scheduleWithFixedDelay(this::endIdleSessions, period, period, TimeUnit.MILLISECONDS);
		this.sweeper = scheduler;
		this.running = true;
	}

	/** The processes serving open sessions by server, for every server served. */
	public Map<String, Integer> processesByServer() {
		return byServer(this.sessions::processes);
	}

	/** A count for every server served, in declaration order. */
	private Map<String, Integer> byServer(ToIntFunction<String> count) {
		Map<String, Integer> counts = new LinkedHashMap<>();
		this.servers.names()
			.stream()
			.filter(this.settings::serves)
			.forEach((name) -> counts.put(name, count.applyAsInt(name)));
		return counts;
	}

	/** The requests in flight over every open session: sent on, not yet answered. */
	public int requestsInFlight() {
		return this.sessions.inFlight();
	}

	/** The prefix of every session id this instance issues. */
	public String instanceId() {
		return this.settings.instanceId();
	}

	/**
	 * Whether the gateway is draining: refusing new sessions, finishing requests in
	 * flight.
	 */
	public boolean isDraining() {
		return this.draining;
	}

	@Override
	public synchronized void stop() {
		this.draining = true;
		this.sessions.refuseNew();
		drain();
		this.sessions.stop();
		ScheduledExecutorService scheduler = this.sweeper;
		if (scheduler != null) {
			scheduler.shutdownNow();
		}
		this.running = false;
	}

	/**
	 * Waits, up to {@code drain-timeout}, for the requests in flight to be answered; the
	 * open sessions are served meanwhile (a client's answer to its server's request must
	 * reach it).
	 */
	private void drain() {
		Duration timeout = this.settings.drainTimeout();
		Instant deadline = this.clock.instant().plus(timeout);
		int inFlight = this.sessions.inFlight();
		if (inFlight == 0) {
			return;
		}
		logger.info("MCP gateway '{}' drains: new sessions are refused, {} requests in flight have up to {} to finish",
				this.settings.instanceId(), inFlight, timeout);
		while (inFlight > 0 && this.clock.instant().isBefore(deadline)) {
			try {
				Thread.sleep(DRAIN_POLL.toMillis());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				break;
			}
			inFlight = this.sessions.inFlight();
		}
		if (inFlight > 0) {
			logger.warn("MCP gateway '{}': {} requests were still in flight after mcp.stdio.gateway.drain-timeout {}"
					+ "; they end unanswered", this.settings.instanceId(), inFlight, timeout);
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

	/**
	 * Declares the client capabilities a gateway's client may have (sampling,
	 * elicitation, roots) when the starter initializes a served server's processes, so
	 * that the server sends such requests; the gateway forwards each to the session it
	 * belongs to, if its client declared the capability. One the gateway cannot route
	 * reaches the starter's own client, which answers with an error that says why.
	 * @param settings the gateway's configuration
	 * @return the customizer
	 */
	public static McpStdioClientCustomizer clientCustomizer(GatewaySettings settings) {
		return new GatewayClientCustomizer(settings);
	}

	/** How often idle sessions are looked for: a quarter of the timeout, 50 ms to 5 s. */
	static Duration period(GatewaySettings settings) {
		return Duration.ofMillis(Math.max(50, Math.min(settings.sessionIdleTimeout().toMillis() / 4, 5000)));
	}

}
