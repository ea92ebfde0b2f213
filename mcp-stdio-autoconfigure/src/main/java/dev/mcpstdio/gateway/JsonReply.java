package dev.mcpstdio.gateway;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The answer to a request of a client that accepts JSON only: one JSON body, written when
 * the answer comes; messages related to the request go to the GET stream instead.
 */
final class JsonReply implements Outlet {

	private final AsyncContext async;

	private final HttpServletResponse response;

	private boolean open = true;

	JsonReply(HttpServletRequest request, HttpServletResponse response) {
		this.response = response;
		this.async = request.startAsync();
		this.async.setTimeout(0);
	}

	@Override
	public String stream() {
		return "json";
	}

	@Override
	public boolean related(String eventId, String json) {
		return false;
	}

	@Override
	public synchronized boolean answer(String eventId, String json) {
		if (!this.open) {
			return false;
		}
		try {
			byte[] body = json.getBytes(StandardCharsets.UTF_8);
			this.response.setStatus(HttpServletResponse.SC_OK);
			this.response.setContentType("application/json");
			this.response.setContentLength(body.length);
			this.response.getOutputStream().write(body);
			return true;
		}
		catch (IOException | RuntimeException ex) {
			return false;
		}
		finally {
			close();
		}
	}

	@Override
	public synchronized boolean isOpen() {
		return this.open;
	}

	@Override
	public synchronized void close() {
		if (this.open) {
			this.open = false;
			try {
				this.async.complete();
			}
			catch (RuntimeException ex) {
				// completed already by the container
			}
		}
	}

}
