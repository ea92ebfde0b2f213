package dev.mcpstdio.server;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;
import java.util.function.IntSupplier;

import org.jspecify.annotations.Nullable;

/**
 * Tells when the process of a keep-alive server has been idle for {@code idle-timeout}:
 * no message either way and no request in flight. Off when the timeout is zero.
 */
final class IdleTimer {

	private final Duration idleTimeout;

	private final Clock clock;

	private final ServerTimer timer;

	private volatile Instant lastActivity;

	private @Nullable Object watched;

	IdleTimer(Duration idleTimeout, Clock clock, Scheduler scheduler) {
		this.idleTimeout = idleTimeout;
		this.clock = clock;
		this.timer = new ServerTimer(scheduler);
		this.lastActivity = clock.instant();
	}

	/** Marks activity, which holds off the idle timeout. */
	void touch() {
		this.lastActivity = this.clock.instant();
	}

	/**
	 * Watches a process that just started.
	 * @param inFlight how many requests the process has in flight
	 * @param onIdle called once, with how long it was idle, when it is idle long enough
	 */
	synchronized void start(IntSupplier inFlight, Consumer<Duration> onIdle) {
		touch();
		Object watch = new Object();
		this.watched = watch;
		schedule(watch, this.idleTimeout, inFlight, onIdle);
	}

	/** Stops watching: the process is gone or going. */
	synchronized void stop() {
		this.watched = null;
		this.timer.cancel();
	}

	private synchronized void schedule(Object watch, Duration delay, IntSupplier inFlight, Consumer<Duration> onIdle) {
		if (this.watched == watch && !this.idleTimeout.isZero()) {
			this.timer.schedule(delay, () -> check(watch, inFlight, onIdle));
		}
	}

	private void check(Object watch, IntSupplier inFlight, Consumer<Duration> onIdle) {
		Duration idleFor = Duration.between(this.lastActivity, this.clock.instant());
		if (inFlight.getAsInt() > 0 || idleFor.compareTo(this.idleTimeout) < 0) {
			Duration left = this.idleTimeout.minus(idleFor);
			schedule(watch, (left.isNegative() || left.isZero()) ? this.idleTimeout : left, inFlight, onIdle);
			return;
		}
		synchronized (this) {
			if (this.watched != watch) {
				return;
			}
			this.watched = null;
		}
		onIdle.accept(idleFor);
	}

}
