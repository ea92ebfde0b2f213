package dev.mcpstdio.transport;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The requests sent to the child and not yet answered, by JSON-RPC id. Ids are compared
 * by their text, so a response's {@code 7} matches a request's {@code 7L}.
 */
final class InFlightRequests {

	private final Map<String, Request> requests = new LinkedHashMap<>();

	synchronized void add(Object id, String method) {
		this.requests.put(String.valueOf(id), new Request(id, method));
	}

	/** Removes a request; whether it was still in flight. */
	synchronized boolean remove(Object id) {
		boolean removed = this.requests.remove(String.valueOf(id)) != null;
		if (this.requests.isEmpty()) {
			notifyAll();
		}
		return removed;
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

	/** A request in flight: its id as sent, and its method. */
	record Request(Object id, String method) {
	}

}
