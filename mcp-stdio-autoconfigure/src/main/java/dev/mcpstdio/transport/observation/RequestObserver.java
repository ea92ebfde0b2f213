package dev.mcpstdio.transport.observation;

import java.time.Duration;

/**
 * Told of every request a transport completes, and of every line on stdout that was not
 * JSON-RPC: the hook for metrics.
 */
public interface RequestObserver {

	/** Observes nothing. */
	RequestObserver NONE = (server, method, duration, outcome) -> {
	};

	/**
	 * A request completed.
	 * @param server the server's name
	 * @param method the JSON-RPC method
	 * @param duration from sending to completion
	 * @param outcome how it ended
	 */
	void requestCompleted(String server, String method, Duration duration, Outcome outcome);

	/**
	 * The server wrote a line on stdout that is not a JSON-RPC message.
	 * @param server the server's name
	 */
	default void invalidLine(String server) {
	}

	/** How a request ended. */
	enum Outcome {

		/** Answered with a result. */
		SUCCESS,

		/** Answered with an error, or failed because the server exited or was stopped. */
		ERROR,

		/** Not answered within its timeout. */
		TIMEOUT,

		/** Given up by its caller (an interrupted thread) before it was answered. */
		CANCELLED

	}

}
