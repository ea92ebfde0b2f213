package dev.mcpstdio.gateway;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * The last SSE events of a session, over all its streams, bounded, so that a client that
 * lost a stream can resume it with {@code Last-Event-ID}. An event's id names its stream
 * and its place: {@code <stream>_<sequence>}.
 */
final class EventLog {

	/**
	 * One event.
	 *
	 * @param stream the stream it was sent on
	 * @param sequence its place in the session
	 * @param json the message
	 */
	record Event(String stream, long sequence, String json) {

		String id() {
			return this.stream + "_" + this.sequence;
		}

	}

	/**
	 * Where a client left a stream.
	 *
	 * @param stream the stream
	 * @param sequence the last event it had
	 */
	record Position(String stream, long sequence) {

		/** The position an event id names, or null for one this gateway did not issue. */
		static @Nullable Position of(@Nullable String eventId) {
			if (eventId == null) {
				return null;
			}
			int split = eventId.lastIndexOf('_');
			if (split <= 0) {
				return null;
			}
			try {
				return new Position(eventId.substring(0, split), Long.parseLong(eventId.substring(split + 1)));
			}
			catch (NumberFormatException ex) {
				return null;
			}
		}

	}

	private final int capacity;

	private final Deque<Event> events = new ArrayDeque<>();

	private long sequence;

	private long dropped;

	EventLog(int capacity) {
		this.capacity = capacity;
	}

	/** Records an event of a stream and gives it its id. */
	synchronized Event append(String stream, String json) {
		Event event = new Event(stream, ++this.sequence, json);
		if (this.capacity > 0) {
			this.events.addLast(event);
			if (this.events.size() > this.capacity) {
				this.events.removeFirst();
				this.dropped++;
			}
		}
		return event;
	}

	/** The events of the stream after the position, those still kept. */
	synchronized List<Event> after(Position position) {
		return this.events.stream()
			.filter((event) -> event.stream().equals(position.stream()) && event.sequence() > position.sequence())
			.toList();
	}

	/** How many events were dropped to keep the bound. */
	synchronized long dropped() {
		return this.dropped;
	}

}
