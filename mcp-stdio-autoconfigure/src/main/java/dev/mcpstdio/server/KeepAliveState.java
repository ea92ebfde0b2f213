package dev.mcpstdio.server;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

import dev.mcpstdio.transport.ManagedStdioTransport;
import dev.mcpstdio.transport.error.McpStdioException;
import dev.mcpstdio.transport.error.McpStdioExitedException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state of a keep-alive server and its transitions: where it is (STOPPED, STARTING,
 * RUNNING, STOPPING, BACKOFF, FAILED), its running generation and the start under way,
 * what its owner asked (the context started it, its stop is coming, it was stopped on
 * purpose), and its last exit. Every transition is taken under one lock and does no I/O
 * but telling the callers ({@link ReadyAdmission}) and the timers; a start acts only
 * while it is still the current attempt, so a stop or restart always has the last word.
 * The {@link KeepAliveStateMachine} launches, initializes and stops the processes between
 * the transitions.
 */
final class KeepAliveState {

	private static final Logger logger = LoggerFactory.getLogger(KeepAliveState.class);

	private final ServerDefinition definition;

	private final Clock clock;

	private final RestartTracker restarts;

	private final RunningWatchers watchers;

	private final ServerErrors errors;

	private final Runnable restartAfterBackoff;

	private final ReadyAdmission callers;

	private final Object lock = new Object();

	private volatile ServerState state = ServerState.STOPPED;

	private volatile @Nullable Generation generation;

	private volatile @Nullable ManagedStdioTransport starting;

	private int attempts;

	private volatile boolean contextStarted;

	private volatile boolean stoppedOnPurpose;

	private volatile boolean everStarted;

	private volatile LastExit lastExit = LastExit.NONE;

	/** The state of a server whose restart policy restarts it with the given task. */
	KeepAliveState(ServerDefinition definition, Clock clock, RestartTracker restarts, RunningWatchers watchers,
			ServerErrors errors, Runnable restartAfterBackoff) {
		this.definition = definition;
		this.clock = clock;
		this.restarts = restarts;
		this.watchers = watchers;
		this.errors = errors;
		this.restartAfterBackoff = restartAfterBackoff;
		this.callers = new ReadyAdmission(errors, restarts, clock, () -> this.lastExit);
	}

	ServerState state() {
		return this.state;
	}

	@Nullable Generation generation() {
		return this.generation;
	}

	/** The start under way, if any. */
	@Nullable ManagedStdioTransport starting() {
		return this.starting;
	}

	/** The context starts the server: a stop on purpose is forgotten. */
	void contextStarted() {
		synchronized (this.lock) {
			this.contextStarted = true;
			this.stoppedOnPurpose = false;
			this.restarts.stopComing(false);
		}
	}

	/** A stop is coming: an exit until then is not followed by a restart. */
	void stopComing() {
		synchronized (this.lock) {
			this.restarts.stopComing(true);
			if (this.state == ServerState.BACKOFF) {
				this.restarts.cancel();
				this.state = ServerState.STOPPED;
				this.callers.failStopped();
			}
		}
	}

	/**
	 * Begins a start, unless the server was stopped on purpose, its stop is coming, or it
	 * is starting, running or stopping.
	 * @param transport makes the transport of the new process
	 * @return the attempt, or {@code null} where no start begins
	 */
	@Nullable Attempt beginStart(Supplier<ManagedStdioTransport> transport) {
		synchronized (this.lock) {
			if (this.stoppedOnPurpose || this.restarts.isStopComing() || this.state == ServerState.STARTING
					|| this.state == ServerState.RUNNING || this.state == ServerState.STOPPING) {
				// stopped on purpose, or its stop coming: only restart() or the context's
				// start start it
				return null;
			}
			this.state = ServerState.STARTING;
			Attempt attempt = new Attempt(++this.attempts, transport.get());
			this.starting = attempt.transport();
			return attempt;
		}
	}

	/** Makes the started process the running one, unless this attempt was overtaken. */
	boolean becameRunning(Generation started, int attempt) {
		synchronized (this.lock) {
			boolean current = isStarting(attempt);
			if (current) {
				this.generation = started;
				this.state = ServerState.RUNNING;
				this.lastExit = this.lastExit.withoutError();
				this.callers.open(started);
			}
			if (this.starting == started.transport()) {
				this.starting = null;
			}
			return current;
		}
	}

	/** A process became the running one: the server has started at least once. */
	void markEverStarted() {
		this.everStarted = true;
	}

	/**
	 * A start failed: unless overtaken, the failure is the last exit, and the restart
	 * policy applies, or the server is FAILED at once.
	 * @param attempt the attempt
	 * @param failure why it failed
	 * @param retry whether the restart policy applies
	 */
	void startFailed(Attempt attempt, McpStdioException failure, boolean retry) {
		ManagedStdioTransport transport = attempt.transport();
		synchronized (this.lock) {
			if (this.starting == transport) {
				this.starting = null;
			}
			// checked and acted on under one lock: a stop or restart has the last word
			if (isStarting(attempt.number())) {
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
					this.callers.fail(failure);
				}
			}
		}
	}

	/** Whether this attempt is the start still under way; under the lock. */
	private boolean isStarting(int attempt) {
		return this.state == ServerState.STARTING && this.attempts == attempt;
	}

	/** The process of a generation ended: on its own, or stopped. */
	void ended(Generation ended) {
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
			this.callers.close();
			// under the same lock as the checks above: a restart() in between is
			// never undone
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
			this.state = this.restarts.afterExitUnlessStopComing(exitCode, startFailed, this.restartAfterBackoff);
			Instant nextStart = this.restarts.nextStart();
			if (this.restarts.isStopComing()) {
				this.callers.failStopped();
			}
			else if (this.state == ServerState.FAILED) {
				this.callers.failFailed(why);
			}
			else if (this.state == ServerState.BACKOFF && nextStart != null) {
				// callers who would give up before then are told now
				this.callers.nextAt(nextStart);
			}
		}
	}

	/**
	 * The backoff is over: the server is STOPPED, to be started again.
	 * @return whether it was still backing off
	 */
	boolean backoffOver() {
		synchronized (this.lock) {
			if (this.state != ServerState.BACKOFF) {
				return false;
			}
			this.state = ServerState.STOPPED;
			return true;
		}
	}

	/**
	 * What a caller that waits up to the timeout for a ready process gets while none
	 * runs.
	 * @param timeout how long the caller waits
	 * @param method what the caller sends
	 * @return the error, or the wait
	 */
	ReadyAdmission.Admission admit(Duration timeout, String method) {
		synchronized (this.lock) {
			// lazy, idle-stopped or exited cleanly: start on this use; eager before the
			// context started: wait for the context to start it
			return this.callers.admit(this.state, this.stoppedOnPurpose || this.restarts.isStopComing(),
					this.contextStarted || this.definition.startup() == Startup.LAZY, timeout, method);
		}
	}

	/** The error a caller gets when no process was ready within its timeout. */
	McpStdioException notReady(Duration timeout, String method) {
		return this.errors.notReady(timeout, method, this.state, this.lastExit);
	}

	/**
	 * Begins a stop; {@code onPurpose} false is an idle stop, undone by the next use.
	 * @return what is to be stopped, or {@code null} where nothing runs or starts
	 */
	@Nullable Stopping beginStop(boolean onPurpose) {
		synchronized (this.lock) {
			this.stoppedOnPurpose = onPurpose;
			this.restarts.cancel();
			this.watchers.stop();
			Generation current = this.generation;
			if (current == null && this.starting == null) {
				if (this.state != ServerState.FAILED || onPurpose) {
					this.state = ServerState.STOPPED;
				}
				this.callers.failStopped();
				return null;
			}
			this.state = ServerState.STOPPING;
			return new Stopping(current);
		}
	}

	/** The stop begun by {@link #beginStop} is done. */
	void stopped(boolean onPurpose) {
		synchronized (this.lock) {
			this.generation = null;
			this.state = ServerState.STOPPED;
			if (onPurpose) {
				this.callers.failStopped();
			}
			else {
				this.callers.close();
			}
		}
	}

	/** After a stop on purpose, a restart: the restarts in the window are forgotten. */
	void restarting() {
		synchronized (this.lock) {
			this.stoppedOnPurpose = false;
			this.restarts.stopComing(false);
			this.restarts.reset();
			this.callers.close();
		}
	}

	/** A snapshot for health and the endpoint. */
	ServerStatus status() {
		return this.watchers
			.addTo(ServerStatus.builder(this.definition.name(), this.state, this.restarts.total(), this.lastExit,
					this.definition.health().failureThreshold()))
			.process(this.generation, this.clock.instant())
			.history(this.everStarted, this.stoppedOnPurpose)
			.build();
	}

	/**
	 * A start under way.
	 *
	 * @param number which attempt it is
	 * @param transport the transport of its process
	 */
	record Attempt(int number, ManagedStdioTransport transport) {

	}

	/**
	 * A stop under way.
	 *
	 * @param running the running generation, or {@code null} where only a start is under
	 * way
	 */
	record Stopping(@Nullable Generation running) {

	}

}
