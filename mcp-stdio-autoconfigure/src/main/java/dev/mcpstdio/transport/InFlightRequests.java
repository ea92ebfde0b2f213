package dev.mcpstdio.transport;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

import dev.mcpstdio.transport.RequestObserver.Outcome;
import org.jspecify.annotations.Nullable;

/**
 * The requests sent to the child and not yet answered, by JSON-RPC id. Ids are compared
 * by their text, so a response's {@code 7} matches a request's {@code 7L}. Every request
 * that leaves is reported to the {@link RequestObserver} once, with its outcome.
 */
final class InFlightRequests {

	private final Map<String, Request> requests = new LinkedHashMap<>();

	private final String server;

	private final RequestObserver observer;

	private final LongSupplier nanoTime;

	/**
	 * Creates an empty set, its deadlines on {@link System#nanoTime()}.
	 * @param server the server's name, for the observer
	 * @param observer told of every request that leaves; must not throw
	 */
	InFlightRequests(String server, RequestObserver observer) {
		this(server, observer, System::nanoTime);
	}

	/**
	 * Creates an empty set.
	 * @param server the server's name, for the observer
	 * @param observer told of every request that leaves; must not throw
	 * @param nanoTime the time of deadlines and durations
	 */
	InFlightRequests(String server, RequestObserver observer, LongSupplier nanoTime) {
		this.server = server;
		this.observer = observer;
		this.nanoTime = nanoTime;
	}

	/**
	 * Adds a request.
	 * @param id its JSON-RPC id
	 * @param method its method
	 * @param timeout how long it may wait for its response, zero for ever
	 */
	synchronized void add(Object id, String method, Duration timeout) {
		add(id, method, null, timeout, null);
	}

	/**
	 * Adds a request.
	 * @param id its JSON-RPC id
	 * @param method its method
	 * @param progressToken the token of its progress notifications, if it asked for them
	 * @param timeout how long it may wait for its response, zero for ever
	 * @param timeoutName the property and value that set its timeout where not the
	 * server's request-timeout ({@code tools.request-timeouts.slow PT2M})
	 */
	synchronized void add(Object id, String method, @Nullable Object progressToken, Duration timeout,
			@Nullable String timeoutName) {
		long now = this.nanoTime.getAsLong();
		long deadline = timeout.isZero() ? Long.MAX_VALUE : now + timeout.toNanos();
		this.requests.put(String.valueOf(id), new Request(id, method, progressToken, now, deadline, timeoutName));
	}

	/**
	 * Removes a request that ended.
	 * @param id its JSON-RPC id
	 * @param outcome how it ended
	 * @return the request, or {@code null} if it was not in flight
	 */
	@Nullable Request complete(Object id, Outcome outcome) {
		Request removed;
		synchronized (this) {
			removed = this.requests.remove(String.valueOf(id));
			if (this.requests.isEmpty()) {
				notifyAll();
			}
		}
		if (removed != null) {
			observe(removed, outcome);
		}
		return removed;
	}

	/** Removes and returns the requests whose deadline has passed, as timed out. */
	List<Request> expire(long nowNanos) {
		List<Request> overdue = new ArrayList<>();
		synchronized (this) {
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
		}
		overdue.forEach((request) -> observe(request, Outcome.TIMEOUT));
		return overdue;
	}

	/** Removes and returns every request in flight, as failed. */
	List<Request> failAll() {
		List<Request> failed;
		synchronized (this) {
			failed = new ArrayList<>(this.requests.values());
			this.requests.clear();
			notifyAll();
		}
		failed.forEach((request) -> observe(request, Outcome.ERROR));
		return failed;
	}

	synchronized int size() {
		return this.requests.size();
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

	private void observe(Request request, Outcome outcome) {
		this.observer.requestCompleted(this.server, request.method(),
				Duration.ofNanos(this.nanoTime.getAsLong() - request.sentNanos()), outcome);
	}

	/**
	 * A request in flight: its id as sent, its method, its progress token, when it was
	 * sent, when it is overdue, and what set its timeout where not the server's
	 * request-timeout.
	 */
	record Request(Object id, String method, @Nullable Object progressToken, long sentNanos, long deadlineNanos,
			@Nullable String timeoutName) {

	}

}
