package dev.mcpstdio.transport;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Future;

import org.jspecify.annotations.Nullable;

/**
 * The requests sent to the child and not yet answered, by JSON-RPC id. Ids are compared
 * by their text, so a response's {@code 7} matches a request's {@code 7L}.
 */
final class InFlightRequests {

	private final Map<String, Request> requests = new LinkedHashMap<>();

	synchronized void add(Object id, String method, @Nullable Future<?> timeout) {
		this.requests.put(String.valueOf(id), new Request(id, method, timeout, System.nanoTime()));
	}

	/** Removes a request, cancelling its timeout; whether it was still in flight. */
	boolean remove(Object id) {
		return take(id) != null;
	}

	/** Removes a request, cancelling its timeout; the request, if it was still in flight. */
	@Nullable Request take(Object id) {
		Request removed;
		synchronized (this) {
			removed = this.requests.remove(String.valueOf(id));
			if (this.requests.isEmpty()) {
				notifyAll();
			}
		}
		if (removed != null && removed.timeout() != null) {
			removed.timeout().cancel(false);
		}
		return removed;
	}

	synchronized int size() {
		return this.requests.size();
	}

	/** Removes and returns every request in flight. */
	Map<String, Request> drain() {
		Map<String, Request> drained;
		synchronized (this) {
			drained = new LinkedHashMap<>(this.requests);
			this.requests.clear();
			notifyAll();
		}
		drained.values().stream().map(Request::timeout).filter((t) -> t != null).forEach((t) -> t.cancel(false));
		return drained;
	}

	/**
	 * Waits until no request is in flight.
	 * @return whether none was left in time
	 */
	synchronized boolean awaitEmpty(Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		boolean interrupted = false;
		try {
			while (!this.requests.isEmpty()) {
				long left = deadline - System.nanoTime();
				if (left <= 0) {
					return false;
				}
				try {
					wait(Math.max(1, left / 1_000_000));
				}
				catch (InterruptedException ex) {
					interrupted = true;
				}
			}
			return true;
		}
		finally {
			if (interrupted) {
				Thread.currentThread().interrupt();
			}
		}
	}

	/** A request in flight: its id as sent, its method, its timeout and when it was sent. */
	record Request(Object id, String method, @Nullable Future<?> timeout, long sentNanos) {

		Duration elapsed() {
			return Duration.ofNanos(System.nanoTime() - this.sentNanos);
		}

	}

}
