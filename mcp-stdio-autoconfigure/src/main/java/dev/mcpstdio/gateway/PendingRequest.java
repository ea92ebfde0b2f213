package dev.mcpstdio.gateway;

import org.jspecify.annotations.Nullable;

/**
 * A client's request on its way through the process: its ids and progress tokens on
 * either side, and where its messages go.
 */
final class PendingRequest {

	final Object clientId;

	final Object processId;

	final String method;

	final @Nullable Object clientToken;

	final @Nullable String processToken;

	final Outlet outlet;

	/** The GET stream that resumed this request's stream after its client lost it. */
	volatile @Nullable SseStream resumedOn;

	PendingRequest(Object clientId, Object processId, String method, @Nullable Object clientToken,
			@Nullable String processToken, Outlet outlet) {
		this.clientId = clientId;
		this.processId = processId;
		this.method = method;
		this.clientToken = clientToken;
		this.processToken = processToken;
		this.outlet = outlet;
	}

	/** A JSON-RPC id as a key: the number 1 and the string "1" are two ids. */
	static String key(Object id) {
		return (id instanceof String text) ? "s:" + text : "n:" + id;
	}

}
