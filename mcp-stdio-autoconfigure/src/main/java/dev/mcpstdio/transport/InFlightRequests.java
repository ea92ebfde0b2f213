package dev.mcpstdio.transport;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * The requests sent to the child and not yet answered, by JSON-RPC id. Ids are compared
 * by their text, so a response's {@code 7} matches a request's {@code 7L}.
 */
final class InFlightRequests {

	private final Map<String, Request> requests = new LinkedHashMap<>();

	/**
	 * Adds a request.
	 * @param id its JSON-RPC id
	 * @param method its method
	 * @param timeout how long it may wait for its response, zero for ever
	 */
	synchronized void add(Object id, String method, Duration timeout) {
		long now = System.nanoTime();
		long deadline = timeout.isZero() ? Long.MAX_VALUE : now + timeout.toNanos();
		this.requests.put(String.valueOf(id), new Request(id, method, now, deadline));
	}

	/** Removes a request; whether it was still in flight. */
	boolean remove(Object id) {
		return take(id) != null;
	}

	/** Removes a request; the request, if it was still in flight. */
	synchronized @Nullable Request take(Object id) {
		Request removed = this.requests.remove(String.valueOf(id));
		if (this.requests.isEmpty()) {
			notifyAll();
		}
		return removed;
	}

	/** Removes and returns the requests whose deadline has passed. */
	synchronized List<Request> takeOverdue(long nowNanos) {
		List<Request> overdue = new ArrayList<>();
		this.requests.values().removeIf((request) -> {
			boolean late = nowNanos - request.deadlineNanos() >= 0 && request.deadlineNanos() != Long.MAX_VALUE;
			if (late) {
				overdue.add(request);
			}
			return late;
		});
		if (!overdue.isEmpty() && this.requests.isEmpty()) {
			notifyAll();
		}
		return overdue;
	}

	synchronized int size() {
		return this.requests.size();
	}

	/** Removes and returns every request in flight. */
	synchronized Map<String, Request> drain() {
		Map<String, Request> drained = new LinkedHashMap<>(this.requests);
		this.requests.clear();
		notifyAll();
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

	/** A request in flight: its id as sent, its method, when it was sent and when it is overdue. */
	record Request(Object id, String method, long sentNanos, long deadlineNanos) {

		Duration elapsed() {
			return Duration.ofNanos(System.nanoTime() - this.sentNanos);
		}

	}

}
