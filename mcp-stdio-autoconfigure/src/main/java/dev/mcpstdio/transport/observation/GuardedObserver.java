package dev.mcpstdio.transport.observation;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link RequestObserver} whose failures are logged and go no further: an observer that
 * throws must never end a request's completion or the stdout reader.
 */
public final class GuardedObserver implements RequestObserver {

	private static final Logger logger = LoggerFactory.getLogger(GuardedObserver.class);

	private final RequestObserver delegate;

	public GuardedObserver(RequestObserver delegate) {
		this.delegate = delegate;
	}

	@Override
	public void requestCompleted(String server, String method, Duration duration, Outcome outcome) {
		try {
			this.delegate.requestCompleted(server, method, duration, outcome);
		}
		catch (RuntimeException ex) {
			logger.debug("MCP server '{}': request observer failed", server, ex);
		}
	}

	@Override
	public void invalidLine(String server) {
		try {
			this.delegate.invalidLine(server);
		}
		catch (RuntimeException ex) {
			logger.debug("MCP server '{}': request observer failed", server, ex);
		}
	}

}
