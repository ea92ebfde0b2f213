package dev.mcpstdio.gateway;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.function.IntConsumer;

import org.jspecify.annotations.Nullable;

/**
 * A session's SSE streams: one per request of the client's that streams, and the GET
 * stream. Every event is kept in the {@link EventLog}; what was meant for the GET stream
 * while none was open is sent when one opens, and a GET with {@code Last-Event-ID}
 * replays what the stream it names missed and carries the rest of it.
 */
final class SessionStreams {

	static final String GET_STREAM = "g";

	/** Events for the GET stream kept while none is open. */
	private static final int UNSENT = 256;

	private final EventLog log;

	private final boolean primes;

	private final Deque<EventLog.Event> unsent = new ArrayDeque<>();

	private final IntConsumer replayed;

	private int streams;

	private volatile @Nullable SseStream getStream;

	SessionStreams(int eventBuffer, String protocolVersion, IntConsumer replayed) {
		this.log = new EventLog(eventBuffer);
		this.replayed = replayed;
		this.primes = ProtocolVersions.primes(protocolVersion);
	}

	/** A new id for a stream of a request's. */
	synchronized String nextStream() {
		return "r" + (++this.streams);
	}

	/**
	 * The id of the event a stream opens with: no message, only a place to resume from.
	 */
	static String primingId(String stream) {
		return stream + "_0";
	}

	/** The answer to a request, ending its outlet. */
	void answer(PendingRequest pending, String json) {
		EventLog.Event event = this.log.append(pending.outlet.stream(), json);
		if (!pending.outlet.answer(event.id(), json)) {
			SseStream resumed = pending.resumedOn;
			if (resumed != null) {
				resumed.send(event.id(), json);
			}
		}
	}

	/** An answer the gateway gives itself. */
	void answer(Outlet outlet, String json) {
		outlet.answer(this.log.append(outlet.stream(), json).id(), json);
	}

	/** A message related to a request: on its stream, else on the GET stream. */
	void related(PendingRequest pending, String json) {
		EventLog.Event event = this.log.append(pending.outlet.stream(), json);
		if (pending.outlet.related(event.id(), json)) {
			return;
		}
		SseStream resumed = pending.resumedOn;
		if (resumed == null || !resumed.send(event.id(), json)) {
			toGetStream(json);
		}
	}

	/**
	 * A message related to no request: on the stream of the one request in flight that
	 * streams, else on the GET stream.
	 */
	void unrelated(Collection<PendingRequest> inFlight, String json) {
		List<PendingRequest> streaming = inFlight.stream()
			.filter((pending) -> pending.outlet instanceof SseStream && pending.outlet.isOpen())
			.toList();
		if (streaming.size() == 1) {
			related(streaming.get(0), json);
		}
		else {
			toGetStream(json);
		}
	}

	private void toGetStream(String json) {
		EventLog.Event event = this.log.append(GET_STREAM, json);
		SseStream stream = this.getStream;
		if (stream == null || !stream.send(event.id(), json)) {
			synchronized (this.unsent) {
				this.unsent.addLast(event);
				while (this.unsent.size() > UNSENT) {
					this.unsent.removeFirst();
				}
			}
		}
	}

	/**
	 * The client opened its GET stream, which replaces one still open; with the id of the
	 * last event it had, what that stream missed is sent first, and the rest of a
	 * request's stream follows here.
	 */
	void openGetStream(SseStream stream, @Nullable String lastEventId, Collection<PendingRequest> inFlight) {
		SseStream previous = this.getStream;
		this.getStream = stream;
		if (previous != null) {
			previous.close();
		}
		if (this.primes) {
			stream.prime(primingId(GET_STREAM), GatewaySession.RETRY);
		}
		EventLog.Position position = EventLog.Position.of(lastEventId);
		if (position != null) {
			List<EventLog.Event> missed = this.log.after(position);
			missed.forEach((event) -> stream.send(event.id(), event.json()));
			this.replayed.accept(missed.size());
			inFlight.stream()
				.filter((pending) -> pending.outlet.stream().equals(position.stream()))
				.forEach((pending) -> pending.resumedOn = stream);
		}
		synchronized (this.unsent) {
			while (!this.unsent.isEmpty() && stream.isOpen()) {
				EventLog.Event event = this.unsent.removeFirst();
				stream.send(event.id(), event.json());
			}
		}
	}

	/** Ends the GET stream. */
	void close() {
		SseStream stream = this.getStream;
		if (stream != null) {
			stream.close();
		}
	}

}
