package dev.mcpstdio.gateway;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * A Server-Sent Events stream on an asynchronous servlet response: the GET stream of a
 * session or the stream of one POSTed request. Writes are serialized; a write that fails
 * (the client went away) closes the stream, and the client's going away is not a
 * cancellation of anything.
 */
final class SseStream implements Outlet {

	private final String id;

	private final AsyncContext async;

	private final ServletOutputStream out;

	private boolean open = true;

	private SseStream(String id, AsyncContext async, ServletOutputStream out) {
		this.id = id;
		this.async = async;
		this.out = out;
	}

	/**
	 * Answers the request with an event stream, left open.
	 * @param id the stream's id
	 * @param request the HTTP request
	 * @param response its response, whose headers are set
	 * @return the stream
	 */
	static SseStream start(String id, HttpServletRequest request, HttpServletResponse response) throws IOException {
		response.setStatus(HttpServletResponse.SC_OK);
		response.setContentType("text/event-stream");
		response.setCharacterEncoding("UTF-8");
		response.setHeader("Cache-Control", "no-cache");
		response.setHeader("X-Accel-Buffering", "no");
		AsyncContext async = request.startAsync();
		async.setTimeout(0);
		SseStream stream = new SseStream(id, async, response.getOutputStream());
		async.addListener(new AsyncListener() {

			@Override
			public void onComplete(AsyncEvent event) {
				stream.closed();
			}

			@Override
			public void onTimeout(AsyncEvent event) {
				stream.close();
			}

			@Override
			public void onError(AsyncEvent event) {
				stream.close();
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
	synchronized boolean prime(String eventId, Duration retry) {
		return write("id: " + eventId + "\nretry: " + retry.toMillis() + "\ndata: \n\n");
	}

	/** Sends one message as an event. */
	synchronized boolean send(String eventId, String json) {
		return write("id: " + eventId + "\nevent: message\ndata: " + json + "\n\n");
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
		return this.open;
	}

	private boolean write(String event) {
		if (!this.open) {
			return false;
		}
		try {
			this.out.write(event.getBytes(StandardCharsets.UTF_8));
			this.out.flush();
			return true;
		}
		catch (IOException | RuntimeException ex) {
			close();
			return false;
		}
	}

	@Override
	public synchronized void close() {
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

	private synchronized void closed() {
		this.open = false;
	}

}
