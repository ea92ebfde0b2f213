package dev.mcpstdio.process.sandbox;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs a task once after a delay unless cancelled first: what the proxy needs of time.
 * Tests give one they fire by hand.
 */
@FunctionalInterface
interface Deadlines {

	/**
	 * Schedules a task.
	 * @param delay how long from now
	 * @param task what to run then
	 * @return what cancels it
	 */
	Runnable schedule(Duration delay, Runnable task);

	/**
	 * Deadlines run by an executor.
	 * @param executor the executor
	 * @return the deadlines
	 */
	static Deadlines of(ScheduledExecutorService executor) {
		return (delay, task) -> {
			ScheduledFuture<?> future = executor.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
			return () -> future.cancel(false);
		};
	}

}
