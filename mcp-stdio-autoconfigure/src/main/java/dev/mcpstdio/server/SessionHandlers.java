package dev.mcpstdio.server;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

import io.modelcontextprotocol.spec.McpSchema.JSONRPCMessage;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * The handlers of a client's latest sessions, by the prefix its sessions give their
 * request ids ({@code <session>-<counter>}), so that an answer reaches the session that
 * sent the request, even after the client opened a new one. Ids of another form go to the
 * latest session.
 */
final class SessionHandlers {

	/** Sessions remembered: the current one and those a caller may still be using. */
	private static final int KEPT = 4;

	private final Map<String, Function<Mono<JSONRPCMessage>, Mono<JSONRPCMessage>>> handlers = new LinkedHashMap<>(8,
			0.75f, false) {

		@Override
		protected boolean removeEldestEntry(
				Map.Entry<String, Function<Mono<JSONRPCMessage>, Mono<JSONRPCMessage>>> eldest) {
			return size() > KEPT;
		}

	};

	/** A session sent its first request, with this id, and answers go to the handler. */
	synchronized void opened(Object firstRequestId, Function<Mono<JSONRPCMessage>, Mono<JSONRPCMessage>> handler) {
		String session = session(firstRequestId);
		if (session != null) {
			this.handlers.put(session, handler);
		}
	}

	/** The handler of the session that sent the request of the id, else the fallback. */
	synchronized @Nullable Function<Mono<JSONRPCMessage>, Mono<JSONRPCMessage>> of(Object requestId,
			@Nullable Function<Mono<JSONRPCMessage>, Mono<JSONRPCMessage>> fallback) {
		String session = session(requestId);
		Function<Mono<JSONRPCMessage>, Mono<JSONRPCMessage>> handler = (session != null) ? this.handlers.get(session)
				: null;
		return (handler != null) ? handler : fallback;
	}

	private static @Nullable String session(Object id) {
		String text = String.valueOf(id);
		int dash = text.lastIndexOf('-');
		return (dash > 0) ? text.substring(0, dash) : null;
	}

}
