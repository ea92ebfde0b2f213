package dev.mcpstdio.server;

import java.time.Duration;
import java.util.concurrent.Future;

/**
 * Runs a task once after a delay, off the caller's thread: what the timers of a server
 * need of time. Tests give one whose time they move by hand.
 */
@FunctionalInterface
interface Scheduler {

	/**
	 * Schedules the task.
	 * @param delay how long from now
	 * @param task what to run then
	 * @return the scheduled task, to cancel it
	 */
	Future<?> schedule(Duration delay, Runnable task);

}
