package dev.mcpstdio.gateway;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * A Server-Sent Events stream on an asynchronous servlet response: the GET stream of a
 * session or the stream of one POSTed request. Events are queued and written on the
 * gateway's writer threads, one at a time per stream, so that a client that reads slowly
 * never holds up the thread that reads a process's output (and with it every other
 * session of a shared process); a client that falls {@value #MOST_QUEUED} events behind
 * loses the stream (what it missed stays in the session's buffer for a resume). A write
 * that fails (the client went away) closes the stream; the client's going away is not a
 * cancellation of anything.
 */
final class SseStream implements Outlet {

	/** Events a stream may have waiting before its client counts as gone. */
	static final int MOST_QUEUED = 1000;

	private final String id;

	private final AsyncContext async;

	private final ServletOutputStream out;

	private final Executor writer;

	private final Deque<String> queued = new ArrayDeque<>();

	private boolean open = true;

	private boolean draining;

	/** Ends the response once what is queued is written. */
	private boolean closing;

	private SseStream(String id, AsyncContext async, ServletOutputStream out, Executor writer) {
		this.id = id;
		this.async = async;
		this.out = out;
		this.writer = writer;
	}

	/**
	 * Answers the request with an event stream, left open.
	 * @param id the stream's id
	 * @param request the HTTP request
	 * @param response its response, whose headers are set
	 * @param writer where the events are written
	 * @return the stream
	 */
	static SseStream start(String id, HttpServletRequest request, HttpServletResponse response, Executor writer)
			throws IOException {
		response.setStatus(HttpServletResponse.SC_OK);
		response.setContentType("text/event-stream");
		response.setCharacterEncoding("UTF-8");
		response.setHeader("Cache-Control", "no-cache");
		response.setHeader("X-Accel-Buffering", "no");
		AsyncContext async = request.startAsync();
		async.setTimeout(0);
		SseStream stream = new SseStream(id, async, response.getOutputStream(), writer);
		async.addListener(new AsyncListener() {

			@Override
			public void onComplete(AsyncEvent event) {
				stream.abandon();
			}

			@Override
			public void onTimeout(AsyncEvent event) {
				stream.abandon();
			}

			@Override
			public void onError(AsyncEvent event) {
				stream.abandon();
			}

			@Override
			public void onStartAsync(AsyncEvent event) {
			}

		});
		response.flushBuffer();
		return stream;
	}

	@Override
	public String stream() {
		return this.id;
	}

	/**
	 * Opens the stream with an event of no data that carries an id and a retry hint, so
	 * that a client that loses the stream knows where to resume and when.
	 */
	boolean prime(String eventId, Duration retry) {
		return enqueue("id: " + eventId + "\nretry: " + retry.toMillis() + "\ndata: \n\n");
	}

	/** Sends one message as an event; false if the stream is closed. */
	boolean send(String eventId, String json) {
		return enqueue("id: " + eventId + "\nevent: message\ndata: " + json + "\n\n");
	}

	@Override
	public boolean related(String eventId, String json) {
		return send(eventId, json);
	}

	@Override
	public synchronized boolean answer(String eventId, String json) {
		boolean sent = send(eventId, json);
		close();
		return sent;
	}

	@Override
	public synchronized boolean isOpen() {
		return this.open && !this.closing;
	}

	private synchronized boolean enqueue(String event) {
		if (!this.open || this.closing) {
			return false;
		}
		if (this.queued.size() >= MOST_QUEUED) {
			abandon();
			return false;
		}
		this.queued.addLast(event);
		if (!this.draining) {
			this.draining = true;
			try {
				this.writer.execute(this::drain);
			}
			catch (RejectedExecutionException ex) {
				// the gateway has stopped
				this.draining = false;
				abandon();
				return false;
			}
		}
		return true;
	}

	/** Writes what is queued, outside the lock; ends the response if asked to. */
	private void drain() {
		while (true) {
			String next;
			synchronized (this) {
				next = this.queued.pollFirst();
				if (next == null) {
					this.draining = false;
					if (this.closing) {
						abandon();
					}
					return;
				}
			}
			if (!write(next)) {
				abandon();
				synchronized (this) {
					this.draining = false;
				}
				return;
			}
		}
	}

	private boolean write(String event) {
		try {
			this.out.write(event.getBytes(StandardCharsets.UTF_8));
			this.out.flush();
			return true;
		}
		catch (IOException | RuntimeException ex) {
			return false;
		}
	}

	/** Ends the stream once what is queued is written. */
	@Override
	public synchronized void close() {
		if (!this.open || this.closing) {
			return;
		}
		this.closing = true;
		if (!this.draining) {
			abandon();
		}
	}

	/** Ends the stream now, whatever is queued. */
	private synchronized void abandon() {
		this.queued.clear();
		if (!this.open) {
			return;
		}
		this.open = false;
		try {
			this.async.complete();
		}
		catch (RuntimeException ex) {
			// completed already by the container
		}
	}

}
