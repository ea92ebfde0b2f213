package dev.mcpstdio.gateway;

import java.util.List;

/**
 * Told of what the gateway does, for metrics: each HTTP request's outcome and the events
 * replayed to clients that resumed a stream. Must not throw, and must return at once.
 */
public interface GatewayObserver {

	/** Observes nothing. */
	GatewayObserver NONE = new GatewayObserver() {
	};

	/** The outcomes of a request. */
	enum Outcome {

		/** Answered with a result. */
		SUCCESS,

		/** Answered with a JSON-RPC error. */
		ERROR,

		/** Cancelled by its client. */
		CANCELLED,

		/** Its session ended before it was answered. */
		UNANSWERED,

		/** A notification or an answer, taken (202). */
		ACCEPTED,

		/** Refused at the door: no or an unknown session, a foreign host, a bad body. */
		REJECTED,

		/** Refused for want of room: past max-sessions, or shutting down (503). */
		UNAVAILABLE

	}

	/**
	 * The MCP methods named in metrics; any other is {@code other}, so tags stay bounded.
	 */
	List<String> KNOWN_METHODS = List.of("initialize", "ping", "tools/list", "tools/call", "resources/list",
			"resources/read", "resources/templates/list", "resources/subscribe", "resources/unsubscribe",
			"prompts/list", "prompts/get", "completion/complete", "logging/setLevel", "notifications/initialized",
			"notifications/cancelled", "notifications/progress", "notifications/roots/list_changed", "response", "GET",
			"DELETE");

	/**
	 * A request of a client's ended.
	 * @param server the server's name
	 * @param method the request's method, one of {@link #KNOWN_METHODS} or {@code other}
	 * @param outcome how it ended
	 */
	default void request(String server, String method, Outcome outcome) {
	}

	/**
	 * Events were replayed to a client that resumed a stream with Last-Event-ID.
	 * @param server the server's name
	 * @param events how many
	 */
	default void replayed(String server, int events) {
	}

	/** The method as metrics name it. */
	static String method(String method) {
		return KNOWN_METHODS.contains(method) ? method : "other";
	}

}
