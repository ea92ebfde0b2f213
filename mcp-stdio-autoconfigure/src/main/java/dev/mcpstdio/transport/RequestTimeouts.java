package dev.mcpstdio.transport;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The one daemon timer of the JVM that fails requests whose response is overdue. It
 * sweeps the connected transports every {@link #SWEEP_MILLIS} ms rather than scheduling a
 * task per request: a request costs no timer work, and the timer thread is not woken per
 * call.
 */
final class RequestTimeouts {

	/**
	 * How often overdue requests are looked for; a timeout fires at most this much late.
	 */
	static final long SWEEP_MILLIS = 50;

	private static final Set<ManagedStdioTransport> transports = ConcurrentHashMap.newKeySet();

	private static final ScheduledThreadPoolExecutor timer = createTimer();

	private RequestTimeouts() {
	}

	static void watch(ManagedStdioTransport transport) {
		transports.add(transport);
	}

	static void unwatch(ManagedStdioTransport transport) {
		transports.remove(transport);
	}

	private static void sweep() {
		long now = System.nanoTime();
		for (ManagedStdioTransport transport : transports) {
			try {
				transport.expireOverdue(now);
			}
			catch (RuntimeException ex) {
				// one transport's trouble must not stop the sweeps of the others
			}
		}
	}

	private static ScheduledThreadPoolExecutor createTimer() {
		ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, (task) -> {
			Thread thread = new Thread(task, "mcp-stdio-request-timeouts");
			thread.setDaemon(true);
			return thread;
		});
		executor.scheduleWithFixedDelay(RequestTimeouts::sweep, SWEEP_MILLIS, SWEEP_MILLIS, TimeUnit.MILLISECONDS);
		return executor;
	}

}
