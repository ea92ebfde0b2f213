package dev.mcpstdio.server;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Optional;

/**
 * Counts restarts within the window and computes the exponential backoff before the next:
 * {@code initial-backoff} doubled for each restart still in the window, at most
 * {@code max-backoff}. Past {@code max-restarts} within the window there is no next.
 */
final class RestartTracker {

	private final RestartSettings settings;

	private final Clock clock;

	private final ArrayDeque<Instant> restarts = new ArrayDeque<>();

	private int total;

	RestartTracker(RestartSettings settings, Clock clock) {
		this.settings = settings;
		this.clock = clock;
	}

	/**
	 * Records a restart and returns how long to wait before it, or empty when the limit
	 * is reached.
	 */
	synchronized Optional<Duration> next() {
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
