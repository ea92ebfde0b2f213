package dev.mcpstdio.server;

import java.time.Duration;

import dev.mcpstdio.process.StopReport;
import dev.mcpstdio.transport.ManagedStdioTransport;
import dev.mcpstdio.transport.error.McpStdioException;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCMessage;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The state machine of a keep-alive server (STOPPED, STARTING, RUNNING, STOPPING,
 * BACKOFF, FAILED): it starts a process, makes it the running one, has the restart policy
 * applied when it exits, stops it on purpose or when idle, and tells waiting callers. The
 * {@link KeepAliveState} takes each transition under its lock; this class does what lies
 * between them: launching, the {@link Handshake}, stopping, and the
 * {@link RunningWatchers} of the running process.
 */
final class KeepAliveStateMachine {

	private static final Logger logger = LoggerFactory.getLogger(KeepAliveStateMachine.class);

	private final String name;

	private final ServerDefinition definition;

	private final ServerRuntime runtime;

	private final ClientConnections connections;

	private final McpSyncClient client;

	private final Handshake handshake;

	private final RunningWatchers watchers;

	private final ServerErrors errors;

	private final KeepAliveState state;

	private final reactor.core.scheduler.Scheduler waiters;

	KeepAliveStateMachine(ServerDefinition definition, ServerRuntime runtime, ClientConnections connections,
			McpSyncClient client) {
		this.name = definition.name();
		this.definition = definition;
		this.runtime = runtime;
		this.connections = connections;
		this.client = client;
		this.errors = new ServerErrors(this.name);
		this.handshake = new Handshake(this.name, this.errors, runtime.jsonMapper, runtime.clock, client,
				connections::loggingLevel);
		this.watchers = new RunningWatchers(definition, runtime, this.handshake, connections, client);
		RestartTracker restarts = new RestartTracker(this.name, definition.restart(), runtime.clock, runtime.scheduler);
		this.state = new KeepAliveState(definition, runtime.clock, restarts, this.watchers, this.errors,
				this::restartAfterBackoff);
		this.waiters = Schedulers.fromExecutor(runtime.workers);
	}

	ServerState state() {
		return this.state.state();
	}

	@Nullable Generation generation() {
		return this.state.generation();
	}

	/** The context starts the server: a stop on purpose is forgotten. */
	void contextStarted() {
		this.state.contextStarted();
	}

	/** A stop is coming: an exit until then is not followed by a restart. */
	void stopComing() {
		this.state.stopComing();
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
		KeepAliveState.Attempt attempt = this.state.beginStart(() -> this.runtime.transport(this.definition));
		if (attempt == null) {
			return;
		}
		ManagedStdioTransport transport = attempt.transport();
		try {
			Generation started = this.handshake.initialize(transport, this.definition.initializeTimeout(),
					this::received);
			if (!becameRunning(started, attempt.number())) {
				transport.stop();
				return;
			}
			transport.whenStopped().whenComplete((report, error) -> this.state.ended(started));
			this.state.markEverStarted();
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
			this.state.startFailed(attempt, failure, retry);
			throw failure;
		}
	}

	/** Makes the started process the running one, unless this attempt was overtaken. */
	private boolean becameRunning(Generation started, int attempt) {
		boolean current = this.state.becameRunning(started, attempt);
		if (current) {
			logger.debug("MCP server '{}' is running: pid {} answered initialize", this.name,
					started.transport().pid());
			this.connections.processReady();
		}
		return current;
	}

	private void received(JSONRPCMessage message) {
		this.watchers.touch();
		this.connections.deliver(message);
	}

	private void restartAfterBackoff() {
		if (this.state.backoffOver()) {
			startQuietly();
		}
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
		Generation current = this.state.generation();
		if (current != null && this.state.state() == ServerState.RUNNING) {
			return Mono.just(current);
		}
		ReadyAdmission.Admission admission = this.state.admit(timeout, method);
		McpStdioException refusal = admission.refusal();
		if (refusal != null) {
			return Mono.error(refusal);
		}
		if (admission.startNow()) {
			this.runtime.workers.execute(this::startQuietly);
		}
		// a waiter goes on on a worker, never on the thread that opened or failed the
		// gate under the lock (its message may block on a full pipe)
		return Mono.fromFuture(admission.ready(), true)
			.publishOn(this.waiters)
			.timeout(timeout, Mono.error(() -> this.state.notReady(timeout, method)));
	}

	/**
	 * Stops the process; {@code onPurpose} false is an idle stop, undone by the next use.
	 */
	void stop(boolean onPurpose) {
		KeepAliveState.Stopping stopping = this.state.beginStop(onPurpose);
		if (stopping == null) {
			return;
		}
		ManagedStdioTransport inStart = this.state.starting();
		if (inStart != null) {
			inStart.stop();
		}
		Generation current = stopping.running();
		if (current != null) {
			StopReport report = current.transport().stop();
			logger.info("MCP server '{}' stopped: pid {}, {} after {} ms", this.name, report.pid(), report.step(),
					report.duration().toMillis());
		}
		this.state.stopped(onPurpose);
	}

	/** Stops the process and starts a new one, forgetting the restarts in the window. */
	void restart() {
		if (this.errors.isRetired()) {
			throw this.errors.retired("it cannot be restarted");
		}
		stop(true);
		this.state.restarting();
		start();
	}

	/** The server was unregistered or replaced: it never starts again. */
	void retire() {
		this.errors.retire();
	}

	/** Whether the generation is the one currently running. */
	boolean isCurrent(Generation candidate) {
		return this.state.generation() == candidate && this.state.state() == ServerState.RUNNING;
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
		return this.state.status();
	}

}
