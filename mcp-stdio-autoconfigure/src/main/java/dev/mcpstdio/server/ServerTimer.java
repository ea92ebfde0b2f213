package dev.mcpstdio.server;

import java.time.Duration;
import java.util.concurrent.Future;

import org.jspecify.annotations.Nullable;

/**
 * One pending task of a server (its idle check, its backoff, its next ping): scheduling
 * replaces the pending task, and cancelling touches no other timer.
 */
final class ServerTimer {

	private final Scheduler scheduler;

	private @Nullable Future<?> pending;

	ServerTimer(Scheduler scheduler) {
		this.scheduler = scheduler;
	}

	/** Runs the task after the delay, in place of the pending one. */
	synchronized void schedule(Duration delay, Runnable task) {
		cancel();
		this.pending = this.scheduler.schedule(delay, task);
	}

	/** Cancels the pending task, if any. */
	synchronized void cancel() {
		if (this.pending != null) {
			this.pending.cancel(false);
			this.pending = null;
		}
	}

}
