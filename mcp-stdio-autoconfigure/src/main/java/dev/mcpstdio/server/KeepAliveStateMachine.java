package dev.mcpstdio.server;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

import dev.mcpstdio.process.StopReport;
import dev.mcpstdio.transport.ManagedStdioTransport;
import dev.mcpstdio.transport.McpStdioException;
import dev.mcpstdio.transport.McpStdioExitedException;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCMessage;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The state machine of a keep-alive server (STOPPED, STARTING, RUNNING, STOPPING,
 * BACKOFF, FAILED): it starts a process, makes it the running one, applies the restart
 * policy when it exits, stops it on purpose or when idle, and tells waiting callers
 * through the {@link ReadyGate}. Every transition is taken under one lock; a start acts
 * only while it is still the current attempt, so a stop or restart always has the last
 * word. The {@link Handshake}, the {@link RunningWatchers} and the {@link RestartTracker}
 * do the rest.
 */
final class KeepAliveStateMachine {

	private static final Logger logger = LoggerFactory.getLogger(KeepAliveStateMachine.class);

	private final String name;

	private final ServerDefinition definition;

	private final ServerRuntime runtime;

	private final ClientConnections connections;

	private final McpSyncClient client;

	private final RestartTracker restarts;

	private final Handshake handshake;

	private final RunningWatchers watchers;

	private final ServerErrors errors;

	private final ReadyGate<Generation> gate = new ReadyGate<>();

	private final reactor.core.scheduler.Scheduler waiters;

	private final Object lock = new Object();

	private volatile ServerState state = ServerState.STOPPED;

	private volatile @Nullable Generation generation;

	private volatile @Nullable ManagedStdioTransport starting;

	private int attempts;

	private volatile boolean contextStarted;

	private volatile boolean stoppedOnPurpose;

	/** Whether a stop is coming, so that no exit is followed by a restart. */
	private boolean stopComing;

	private volatile boolean everStarted;

	private volatile LastExit lastExit = LastExit.NONE;

	KeepAliveStateMachine(ServerDefinition definition, ServerRuntime runtime, ClientConnections connections,
			McpSyncClient client) {
		this.name = definition.name();
		this.definition = definition;
		this.runtime = runtime;
		this.connections = connections;
		this.client = client;
		this.restarts = new RestartTracker(this.name, definition.restart(), runtime.clock, runtime.scheduler);
		this.errors = new ServerErrors(this.name);
		this.handshake = new Handshake(this.name, this.errors, runtime.jsonMapper, runtime.clock, client,
				connections::loggingLevel);
		this.watchers = new RunningWatchers(definition, runtime, this.handshake, connections, client);
		this.waiters = Schedulers.fromExecutor(runtime.workers);
	}

	ServerState state() {
		return this.state;
	}

	@Nullable Generation generation() {
		return this.generation;
	}

	/** The context starts the server: a stop on purpose is forgotten. */
	void contextStarted() {
		synchronized (this.lock) {
			this.contextStarted = true;
			this.stoppedOnPurpose = false;
			this.stopComing = false;
		}
	}

	/** A stop is coming: an exit until then is not followed by a restart. */
	void stopComing() {
		synchronized (this.lock) {
			this.stopComing = true;
			if (this.state == ServerState.BACKOFF) {
				this.restarts.cancel();
				this.state = ServerState.STOPPED;
				this.gate.fail(this.errors.stopped(this.lastExit));
			}
		}
	}

	/**
	 * Launches a process and initializes it. On failure the restart policy applies and
	 * the failure is thrown.
	 */
	void start() {
		start(true);
	}

	/**
	 * The context's start of a required server: a failure fails the application, so the
	 * server is FAILED at once, and no restart is scheduled or announced.
	 */
	void startRequired() {
		start(false);
	}

	private void start(boolean retry) {
		ManagedStdioTransport transport;
		int attempt;
		synchronized (this.lock) {
			if (this.stoppedOnPurpose || this.stopComing || this.state == ServerState.STARTING
					|| this.state == ServerState.RUNNING || this.state == ServerState.STOPPING) {
				// stopped on purpose, or its stop coming: only restart() or the context's
				// start start it
				return;
			}
			this.state = ServerState.STARTING;
			attempt = ++this.attempts;
			transport = this.runtime.transport(this.definition);
			this.starting = transport;
		}
		try {
			Generation started = this.handshake.initialize(transport, this.definition.initializeTimeout(),
					this::received);
			if (!becameRunning(started, attempt)) {
				transport.stop();
				return;
			}
			transport.whenStopped().whenComplete((report, error) -> ended(started));
			this.everStarted = true;
			this.watchers.start(started, this::idle,
					(tools) -> logger.info("MCP server '{}' started: pid {}, {}, {}", this.name, transport.pid(),
							started.serverInfo(), (tools != null) ? tools + " tools" : "tools unknown"));
			if (!this.client.isInitialized()) {
				// answered from the result above: later failures reach callers unwrapped
				this.client.initialize();
			}
		}
		catch (RuntimeException ex) {
			transport.abandon();
			McpStdioException failure = this.errors.startFailure(transport, ex);
			synchronized (this.lock) {
				if (this.starting == transport) {
					this.starting = null;
				}
				// checked and acted on under one lock: a stop or restart has the last
				// word
				if (isStarting(attempt)) {
					this.lastExit = LastExit.of(transport, failure.getMessage());
					// an exit is reported once, by the transport
					if (!(failure instanceof McpStdioExitedException)
							&& !(transport.terminalError() instanceof McpStdioExitedException)) {
						logger.warn(failure.getMessage());
					}
					if (retry) {
						// a process that could not start failed, whatever its exit code
						int exitCode = transport.exitCode().orElse(-1);
						afterExit((exitCode == 0) ? -1 : exitCode, failure, true);
					}
					else {
						this.state = ServerState.FAILED;
						this.gate.fail(failure);
					}
				}
			}
			throw failure;
		}
	}

	/** Makes the started process the running one, unless this attempt was overtaken. */
	private boolean becameRunning(Generation started, int attempt) {
		boolean current;
		synchronized (this.lock) {
			current = isStarting(attempt);
			if (current) {
				this.generation = started;
				this.state = ServerState.RUNNING;
				this.lastExit = this.lastExit.withoutError();
				this.gate.open(started);
			}
			if (this.starting == started.transport()) {
				this.starting = null;
			}
		}
		if (current) {
			logger.debug("MCP server '{}' is running: pid {} answered initialize", this.name,
					started.transport().pid());
			this.connections.processReady();
		}
		return current;
	}

	/** Whether this attempt is the start still under way; under the lock. */
	private boolean isStarting(int attempt) {
		return this.state == ServerState.STARTING && this.attempts == attempt;
	}

	private void received(JSONRPCMessage message) {
		this.watchers.touch();
		this.connections.deliver(message);
	}

	/** The process of a generation ended: on its own, or stopped. */
	private void ended(Generation ended) {
		synchronized (this.lock) {
			if (this.generation != ended) {
				return;
			}
			this.generation = null;
			this.watchers.stop();
			ManagedStdioTransport transport = ended.transport();
			if (this.state != ServerState.RUNNING) {
				this.lastExit = LastExit.of(transport, this.lastExit.error());
				return; // stopping on purpose: stop() reports
			}
			McpStdioException why = this.errors.exited(transport);
			this.lastExit = LastExit.of(transport, why.getMessage());
			this.gate.close();
			// under the same lock as the checks above: a restart() in between is never
			// undone
			Integer exitCode = this.lastExit.exitCode();
			afterExit((exitCode != null) ? exitCode : -1, why, false);
		}
	}

	/** Applies the restart policy after a process exited or failed to start. */
	private void afterExit(int exitCode, McpStdioException why, boolean startFailed) {
		synchronized (this.lock) {
			if (this.stoppedOnPurpose) {
				return;
			}
			if (this.stopComing) {
				logger.info("MCP server '{}' is not restarted: its stop is coming", this.name);
				this.state = ServerState.STOPPED;
				this.gate.fail(this.errors.stopped(this.lastExit));
				return;
			}
			this.state = this.restarts.afterExit(exitCode, startFailed, this::restartAfterBackoff);
			if (this.state == ServerState.FAILED) {
				this.gate.fail(this.errors.failed(this.restarts.total(), this.lastExit, why));
			}
			Instant nextStart = this.restarts.nextStart();
			if (this.state == ServerState.BACKOFF && nextStart != null) {
				// callers who would give up before then are told now
				this.gate.nextAt(nextStart);
			}
		}
	}

	private void restartAfterBackoff() {
		synchronized (this.lock) {
			if (this.state != ServerState.BACKOFF) {
				return;
			}
			this.state = ServerState.STOPPED;
		}
		startQuietly();
	}

	private void startQuietly() {
		try {
			start();
		}
		catch (RuntimeException ex) {
			// reported, and the policy applied, by start()
		}
	}

	/**
	 * A process ready to take messages, waiting up to the timeout for one while the
	 * server starts or restarts; at once an error when it is FAILED or stopped.
	 */
	Mono<Generation> awaitReady(Duration timeout, String method) {
		Generation current = this.generation;
		if (current != null && this.state == ServerState.RUNNING) {
			return Mono.just(current);
		}
		CompletableFuture<Generation> waitFor;
		boolean startNow = false;
		synchronized (this.lock) {
			// a server whose stop is coming is not started again now
			McpStdioException refusal = this.errors.refusal(this.state, this.stoppedOnPurpose || this.stopComing,
					method, this.restarts.total(), this.lastExit);
			if (refusal != null) {
				return Mono.error(refusal);
			}
			Instant nextStart = this.restarts.nextStart();
			Instant now = this.runtime.clock.instant();
			if (this.state == ServerState.BACKOFF && nextStart != null && nextStart.isAfter(now.plus(timeout))) {
				return Mono
					.error(this.errors.backingOff(method, timeout, Duration.between(now, nextStart), this.lastExit));
			}
			// lazy, idle-stopped or exited cleanly: start on this use; eager before the
			// context started: wait for the context to start it
			startNow = this.state == ServerState.STOPPED
					&& (this.contextStarted || this.definition.startup() == Startup.LAZY);
			waitFor = this.gate.await(now.plus(timeout), (next) -> this.errors.backingOff(method, timeout,
					Duration.between(this.runtime.clock.instant(), next), this.lastExit));
		}
		if (startNow) {
			this.runtime.workers.execute(this::startQuietly);
		}
		// a waiter goes on on a worker, never on the thread that opened or failed the
		// gate
		// under the lock (its message may block on a full pipe)
		return Mono.fromFuture(waitFor, true)
			.publishOn(this.waiters)
			.timeout(timeout, Mono.error(() -> this.errors.notReady(timeout, method, this.state, this.lastExit)));
	}

	/**
	 * Stops the process; {@code onPurpose} false is an idle stop, undone by the next use.
	 */
	void stop(boolean onPurpose) {
		Generation current;
		synchronized (this.lock) {
			this.stoppedOnPurpose = onPurpose;
			this.restarts.cancel();
			this.watchers.stop();
			current = this.generation;
			if (current == null && this.starting == null) {
				if (this.state != ServerState.FAILED || onPurpose) {
					this.state = ServerState.STOPPED;
				}
				this.gate.fail(this.errors.stopped(this.lastExit));
				return;
			}
			this.state = ServerState.STOPPING;
		}
		ManagedStdioTransport inStart = this.starting;
		if (inStart != null) {
			inStart.stop();
		}
		if (current != null) {
			StopReport report = current.transport().stop();
			logger.info("MCP server '{}' stopped: pid {}, {} after {} ms", this.name, report.pid(), report.step(),
					report.duration().toMillis());
		}
		synchronized (this.lock) {
			this.generation = null;
			this.state = ServerState.STOPPED;
			if (onPurpose) {
				this.gate.fail(this.errors.stopped(this.lastExit));
			}
			else {
				this.gate.close();
			}
		}
	}

	/** Stops the process and starts a new one, forgetting the restarts in the window. */
	void restart() {
		stop(true);
		synchronized (this.lock) {
			this.stoppedOnPurpose = false;
			this.stopComing = false;
			this.restarts.reset();
			this.gate.close();
		}
		start();
	}

	/** Whether the generation is the one currently running. */
	boolean isCurrent(Generation candidate) {
		return this.generation == candidate && this.state == ServerState.RUNNING;
	}

	/** Marks activity, which holds off the idle timeout. */
	void touch() {
		this.watchers.touch();
	}

	private void idle(Generation idle, Duration idleFor) {
		if (isCurrent(idle)) {
			logger.info("MCP server '{}' idle for {}: stopping it until its next use", this.name, idleFor);
			stop(false);
		}
	}

	/** A snapshot for health and the endpoint. */
	ServerStatus status() {
		return this.watchers
			.addTo(ServerStatus.builder(this.name, this.state, this.restarts.total(), this.lastExit,
					this.definition.health().failureThreshold()))
			.process(this.generation, this.runtime.clock.instant())
			.history(this.everStarted, this.stoppedOnPurpose)
			.build();
	}

}
