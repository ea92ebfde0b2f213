package dev.mcpstdio.server;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Optional;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the restart policy after an exit: counts restarts within the window and waits
 * the exponential backoff before the next, {@code initial-backoff} doubled for each
 * restart still in the window, at most {@code max-backoff}. Past {@code max-restarts}
 * within the window there is no next: the server is FAILED. While a stop of the server is
 * coming, no exit is followed by a restart.
 */
final class RestartTracker {

	private static final Logger logger = LoggerFactory.getLogger(RestartTracker.class);

	private final String name;

	private final RestartSettings settings;

	private final Clock clock;

	private final ServerTimer backoff;

	private final ArrayDeque<Instant> restarts = new ArrayDeque<>();

	private int total;

	private volatile @Nullable Instant nextStart;

	/** Whether a stop is coming, so that no exit is followed by a restart. */
	private volatile boolean stopComing;

	RestartTracker(String name, RestartSettings settings, Clock clock, Scheduler scheduler) {
		this.name = name;
		this.settings = settings;
		this.clock = clock;
		this.backoff = new ServerTimer(scheduler);
	}

	/**
	 * What follows a process's exit (-1: it could not start).
	 * @param exitCode its exit code
	 * @param startFailed whether it failed to start, rather than exited while running
	 * @param restart what restarts the server, run after the backoff
	 * @return STOPPED or FAILED, or BACKOFF with the restart scheduled
	 */
	ServerState afterExit(int exitCode, boolean startFailed, Runnable restart) {
		if (!this.settings.policy().shouldRestart(exitCode)) {
			return (exitCode == 0) ? ServerState.STOPPED : ServerState.FAILED;
		}
		Optional<Duration> delay = next();
		if (delay.isEmpty()) {
			logger.error("MCP server '{}' is FAILED: {} restarts within {}; restart it to try again", this.name,
					this.settings.maxRestarts(), this.settings.window());
			return ServerState.FAILED;
		}
		// the exit or the failure itself was reported at WARN where it happened
		logger.info("MCP server '{}': {} in {} ({} of at most {} within {})", this.name,
				startFailed ? "trying to start it again" : "restarting it", delay.get(), this.restarts.size(),
				this.settings.maxRestarts(), this.settings.window());
		this.nextStart = this.clock.instant().plus(delay.get());
		this.backoff.schedule(delay.get(), restart);
		return ServerState.BACKOFF;
	}

	/**
	 * What follows an exit, as {@link #afterExit}, unless a stop is coming: then STOPPED.
	 * @param exitCode its exit code
	 * @param startFailed whether it failed to start, rather than exited while running
	 * @param restart what restarts the server, run after the backoff
	 * @return STOPPED or FAILED, or BACKOFF with the restart scheduled
	 */
	ServerState afterExitUnlessStopComing(int exitCode, boolean startFailed, Runnable restart) {
		if (this.stopComing) {
			logger.info("MCP server '{}' is not restarted: its stop is coming", this.name);
			return ServerState.STOPPED;
		}
		return afterExit(exitCode, startFailed, restart);
	}

	/**
	 * A stop is coming, or (false) no longer: the context starts the server, or it is
	 * restarted.
	 */
	void stopComing(boolean coming) {
		this.stopComing = coming;
	}

	/** Whether a stop is coming. */
	boolean isStopComing() {
		return this.stopComing;
	}

	/** Cancels a restart waiting for its backoff. */
	void cancel() {
		this.backoff.cancel();
		this.nextStart = null;
	}

	/** When the restart waiting for its backoff runs; null when none waits. */
	@Nullable Instant nextStart() {
		return this.nextStart;
	}

	/**
	 * Records a restart and returns how long to wait before it, or empty when the limit
	 * is reached.
	 */
	private synchronized Optional<Duration> next() {
		Instant now = this.clock.instant();
		Instant windowStart = now.minus(this.settings.window());
		while (!this.restarts.isEmpty() && this.restarts.peekFirst().isBefore(windowStart)) {
			this.restarts.removeFirst();
		}
		if (this.restarts.size() >= this.settings.maxRestarts()) {
			return Optional.empty();
		}
		int recent = this.restarts.size();
		this.restarts.addLast(now);
		this.total++;
		return Optional.of(backoff(recent));
	}

	private Duration backoff(int recent) {
		Duration delay = this.settings.initialBackoff();
		for (int i = 0; i < recent && delay.compareTo(this.settings.maxBackoff()) < 0; i++) {
			delay = delay.multipliedBy(2);
		}
		return (delay.compareTo(this.settings.maxBackoff()) > 0) ? this.settings.maxBackoff() : delay;
	}

	/** Forgets the restarts in the window, after a manual restart. */
	synchronized void reset() {
		this.restarts.clear();
	}

	/** How many restarts there have been in all. */
	synchronized int total() {
		return this.total;
	}

}
