package dev.mcpstdio.transport.inflight;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

import dev.mcpstdio.transport.observation.RequestObservations;
import dev.mcpstdio.transport.observation.RequestObserver;
import dev.mcpstdio.transport.observation.RequestObserver.Outcome;
import io.micrometer.observation.Observation;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCResponse;
import org.jspecify.annotations.Nullable;

/**
 * The requests sent to the child and not yet answered, by JSON-RPC id. Ids are compared
 * by their text, so a response's {@code 7} matches a request's {@code 7L}. Every request
 * that leaves is reported to the {@link RequestObserver} once, with its outcome, and
 * gives back its turn at the server if it held one. Each request keeps its own deadline
 * ({@link InFlightRequest}).
 */
public final class InFlightRequests {

	private final Map<String, InFlightRequest> requests = new LinkedHashMap<>();

	/** The turns at the server, where a cap limits them. */
	private final Turns turns;

	/** The latches of the callers held until their request leaves. */
	private final CallerLatches callers = new CallerLatches();

	/** The keys of the requests with a progress token, by token. */
	private final Map<String, String> byToken = new HashMap<>();

	private final String server;

	private final RequestObserver observer;

	private final LongSupplier nanoTime;

	/** Ends the observation of each request that leaves, where requests are observed. */
	private final @Nullable RequestObservations observations;

	/**
	 * Creates an empty set, its deadlines on {@link System#nanoTime()}.
	 * @param server the server's name, for the observer
	 * @param observer told of every request that leaves; must not throw
	 */
	public InFlightRequests(String server, RequestObserver observer) {
		this(server, observer, System::nanoTime);
	}

	/**
	 * Creates an empty set.
	 * @param server the server's name, for the observer
	 * @param observer told of every request that leaves; must not throw
	 * @param nanoTime the time of deadlines and durations
	 */
	InFlightRequests(String server, RequestObserver observer, LongSupplier nanoTime) {
		this(server, observer, nanoTime, 0);
	}

	/**
	 * Creates an empty set.
	 * @param server the server's name, for the observer
	 * @param observer told of every request that leaves; must not throw
	 * @param nanoTime the time of deadlines and durations
	 * @param maxConcurrent how many requests may hold a turn at once; 0 for no cap
	 */
	InFlightRequests(String server, RequestObserver observer, LongSupplier nanoTime, int maxConcurrent) {
		this(server, observer, nanoTime, maxConcurrent, null);
	}

	/**
	 * Creates an empty set.
	 * @param server the server's name, for the observer
	 * @param observer told of every request that leaves; must not throw
	 * @param nanoTime the time of deadlines and durations
	 * @param maxConcurrent how many requests may hold a turn at once; 0 for no cap
	 * @param observations ends the observation of each request that leaves, if any
	 */
	public InFlightRequests(String server, RequestObserver observer, LongSupplier nanoTime, int maxConcurrent,
			@Nullable RequestObservations observations) {
		this.server = server;
		this.observer = observer;
		this.nanoTime = nanoTime;
		this.turns = new Turns(maxConcurrent);
		this.observations = observations;
	}

	/** The turns at the server, which the requests in flight that hold one give back. */
	public Turns turns() {
		return this.turns;
	}

	/**
	 * The latches of the callers held until their request leaves, which are all released
	 * when every request in flight fails at once.
	 */
	public CallerLatches callers() {
		return this.callers;
	}

	/**
	 * Adds a request.
	 * @param id its JSON-RPC id
	 * @param method its method
	 * @param timeout how long it may wait for its response, zero for ever
	 */
	public synchronized void add(Object id, String method, Duration timeout) {
		add(new SentRequest(id, method, null, null, false, RequestLimits.of(timeout), false));
	}

	/**
	 * Adds a request.
	 * @param sent the request and its timeouts
	 */
	public synchronized void add(SentRequest sent) {
		String key = String.valueOf(sent.id());
		this.requests.put(key, InFlightRequest.sentAt(sent, this.nanoTime.getAsLong()));
		if (sent.progressToken() != null) {
			this.byToken.put(String.valueOf(sent.progressToken()), key);
		}
	}

	/**
	 * A progress notification came for a token: its request's timeout restarts, up to its
	 * cap, where progress resets timeouts.
	 * @param progressToken the notification's token
	 * @param resetsTimeout whether progress restarts the timeout
	 * @return the request the token is of, or {@code null} where none in flight has it
	 */
	public synchronized @Nullable InFlightRequest progressed(Object progressToken, boolean resetsTimeout) {
		String key = this.byToken.get(String.valueOf(progressToken));
		InFlightRequest request = (key != null) ? this.requests.get(key) : null;
		if (request == null || !resetsTimeout) {
			return request;
		}
		InFlightRequest restarted = request.progressedAt(this.nanoTime.getAsLong());
		if (restarted != request) {
			this.requests.put(key, restarted);
		}
		return restarted;
	}

	/**
	 * Removes a request that ended.
	 * @param id its JSON-RPC id
	 * @param outcome how it ended
	 * @return the request, or {@code null} if it was not in flight
	 */
	public @Nullable InFlightRequest complete(Object id, Outcome outcome) {
		return complete(id, outcome, null);
	}

	/**
	 * Removes the request a response answers.
	 * @param response the response
	 * @return the request, or {@code null} if it was not in flight
	 */
	public @Nullable InFlightRequest answered(JSONRPCResponse response) {
		return complete(response.id(), (response.error() != null) ? Outcome.ERROR : Outcome.SUCCESS, response);
	}

	private @Nullable InFlightRequest complete(Object id, Outcome outcome, @Nullable JSONRPCResponse response) {
		InFlightRequest removed;
		synchronized (this) {
			removed = this.requests.remove(String.valueOf(id));
			forgetToken(removed);
			left(removed);
			if (this.requests.isEmpty()) {
				notifyAll();
			}
		}
		if (removed != null) {
			observe(removed, outcome, response);
		}
		return removed;
	}

	/** Removes and returns the requests whose deadline has passed, as timed out. */
	List<InFlightRequest> expire(long nowNanos) {
		List<InFlightRequest> overdue = new ArrayList<>();
		synchronized (this) {
			this.requests.values().removeIf((request) -> {
				boolean late = request.overdueAt(nowNanos);
				if (late) {
					overdue.add(request);
					forgetToken(request);
					left(request);
				}
				return late;
			});
			if (!overdue.isEmpty() && this.requests.isEmpty()) {
				notifyAll();
			}
		}
		overdue.forEach((request) -> observe(request, Outcome.TIMEOUT, null));
		return overdue;
	}

	/** Removes and returns every request in flight, as failed. */
	public List<InFlightRequest> failAll() {
		List<InFlightRequest> failed;
		synchronized (this) {
			failed = new ArrayList<>(this.requests.values());
			this.requests.clear();
			this.byToken.clear();
			failed.forEach(this::left);
			this.callers.releaseAll();
			notifyAll();
		}
		failed.forEach((request) -> observe(request, Outcome.ERROR, null));
		return failed;
	}

	/**
	 * The observation of the request in flight, where there is one alone and it is
	 * observed.
	 */
	public synchronized @Nullable Observation soleObservation() {
		return (this.requests.size() == 1) ? this.requests.values().iterator().next().sent().observation() : null;
	}

	public synchronized int size() {
		return this.requests.size();
	}

	/**
	 * Waits until no request is in flight.
	 * @return whether none was left in time
	 */
	public synchronized boolean awaitEmpty(Duration timeout) {
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

	/**
	 * Releases the caller held for a request that left, once its answer (or the error in
	 * its place) was delivered: the caller then finds it at once.
	 * @param id its JSON-RPC id
	 * @see CallerLatches#release(Object)
	 */
	public void release(Object id) {
		this.callers.release(id);
	}

	private void forgetToken(@Nullable InFlightRequest request) {
		if (request != null && request.progressToken() != null) {
			this.byToken.remove(String.valueOf(request.progressToken()));
		}
	}

	/** A request left: its turn at the server, if it held one, is the next one's. */
	private void left(@Nullable InFlightRequest request) {
		if (request != null && request.holdsTurn()) {
			this.turns.giveBack();
		}
	}

	private void observe(InFlightRequest request, Outcome outcome, @Nullable JSONRPCResponse response) {
		this.observer.requestCompleted(this.server, request.method(),
				Duration.ofNanos(this.nanoTime.getAsLong() - request.sentNanos()), outcome);
		if (this.observations != null) {
			this.observations.left(request.method(), request::describe, request.sent().observation(), outcome,
					response);
		}
	}

}
