package dev.mcpstdio.transport;

import java.time.Duration;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The one daemon timer of the JVM that fails requests whose response is overdue.
 */
final class RequestTimeouts {

	private static final ScheduledThreadPoolExecutor timer = createTimer();

	private RequestTimeouts() {
	}

	static Future<?> schedule(Runnable task, Duration delay) {
		return timer.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
	}

	private static ScheduledThreadPoolExecutor createTimer() {
		ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, (task) -> {
			Thread thread = new Thread(task, "mcp-stdio-request-timeouts");
			thread.setDaemon(true);
			return thread;
		});
		executor.setRemoveOnCancelPolicy(true);
		return executor;
	}

}
