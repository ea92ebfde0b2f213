package dev.mcpstdio.transport.inflight;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import dev.mcpstdio.process.platform.DaemonThreads;

/**
 * Fails requests whose response is overdue. It sweeps the {@link Cancellations} of the
 * connected transports every {@link #SWEEP_MILLIS} ms rather than scheduling a task per
 * request: a request costs no timer work, and the timer thread is not woken per call. The
 * JVM shares one ({@link #shared()}) on {@link System#nanoTime()}; tests make their own
 * on a time they move and sweep by hand.
 */
public final class RequestTimeouts {

	/**
	 * How often overdue requests are looked for; a timeout fires at most this much late.
	 */
	static final long SWEEP_MILLIS = 10;

	private static final RequestTimeouts shared = new RequestTimeouts(System::nanoTime).sweepEvery(SWEEP_MILLIS);

	private final Set<Cancellations> watched = ConcurrentHashMap.newKeySet();

	private final LongSupplier nanoTime;

	public RequestTimeouts(LongSupplier nanoTime) {
		this.nanoTime = nanoTime;
	}

	/**
	 * The sweeper of the JVM, on its daemon thread {@code mcp-stdio-request-timeouts}.
	 */
	public static RequestTimeouts shared() {
		return shared;
	}

	/** The time its deadlines are measured in, in nanoseconds. */
	public long nanoTime() {
		return this.nanoTime.getAsLong();
	}

	public void watch(Cancellations cancellations) {
		this.watched.add(cancellations);
	}

	public void unwatch(Cancellations cancellations) {
		this.watched.remove(cancellations);
	}

	/** Fails every overdue request of every watched connection. */
	public void sweep() {
		long now = this.nanoTime.getAsLong();
		for (Cancellations cancellations : this.watched) {
			try {
				cancellations.expireOverdue(now);
			}
			catch (RuntimeException ex) {
				// one transport's trouble must not stop the sweeps of the others
			}
		}
	}

	private RequestTimeouts sweepEvery(long millis) {
		ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1,
				DaemonThreads.factory("mcp-stdio-request-timeouts"));
		timer.scheduleWithFixedDelay(this::sweep, millis, millis, TimeUnit.MILLISECONDS);
		return this;
	}

}
