package dev.mcpstdio.gateway;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCNotification;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCRequest;
import org.jspecify.annotations.Nullable;

/**
 * What the sessions on one shared process set on it, per session: the logging level (the
 * process gets the most verbose asked; each session receives its own level and above) and
 * resource subscriptions (the process is subscribed while any session is; updates go to
 * the sessions subscribed).
 */
final class Multiplex {

	private final Map<GatewaySession, Integer> levels = new HashMap<>();

	private final Map<String, Set<GatewaySession>> subscribers = new HashMap<>();

	/**
	 * Whether the gateway answers a session's request itself: a subscription another
	 * session already holds, an unsubscription others still hold.
	 */
	synchronized boolean answersItself(GatewaySession session, JSONRPCRequest request) {
		Object uri = (request.params() instanceof Map<?, ?> params) ? params.get("uri") : null;
		if (uri == null) {
			return false;
		}
		if (McpSchema.METHOD_RESOURCES_SUBSCRIBE.equals(request.method())) {
			Set<GatewaySession> sessions = this.subscribers.computeIfAbsent(uri.toString(), (key) -> new HashSet<>());
			return !(sessions.add(session) && sessions.size() == 1);
		}
		if (McpSchema.METHOD_RESOURCES_UNSUBSCRIBE.equals(request.method())) {
			return !unsubscribe(session, uri.toString());
		}
		return false;
	}

	/** The params the process is sent: for logging/setLevel, the most verbose asked. */
	synchronized @Nullable Object params(GatewaySession session, JSONRPCRequest request) {
		if (McpSchema.METHOD_LOGGING_SET_LEVEL.equals(request.method())
				&& request.params() instanceof Map<?, ?> params) {
			this.levels.put(session, LogLevels.rank(params.get("level")));
			int most = this.levels.values().stream().mapToInt(Integer::intValue).min().orElse(0);
			Map<Object, Object> copy = new LinkedHashMap<>(params);
			copy.put("level", LogLevels.ORDER.get(most));
			return copy;
		}
		return request.params();
	}

	/** Whether a session receives a notification the process sent to all. */
	synchronized boolean wanted(GatewaySession session, JSONRPCNotification notification) {
		Map<?, ?> params = (notification.params() instanceof Map<?, ?> map) ? map : Map.of();
		if (McpSchema.METHOD_NOTIFICATION_MESSAGE.equals(notification.method())) {
			Integer own = this.levels.get(session);
			return own == null || LogLevels.rank(params.get("level")) >= own;
		}
		if (McpSchema.METHOD_NOTIFICATION_RESOURCES_UPDATED.equals(notification.method())) {
			Set<GatewaySession> sessions = this.subscribers.get(String.valueOf(params.get("uri")));
			return sessions != null && sessions.contains(session);
		}
		return true;
	}

	/** Whether the uri lost its last subscriber. */
	private boolean unsubscribe(GatewaySession session, String uri) {
		Set<GatewaySession> sessions = this.subscribers.get(uri);
		if (sessions == null || !sessions.remove(session)) {
			return false;
		}
		if (sessions.isEmpty()) {
			this.subscribers.remove(uri);
			return true;
		}
		return false;
	}

	/** A session ended: its level and subscriptions count no more. */
	synchronized void ended(GatewaySession session) {
		this.levels.remove(session);
		this.subscribers.values().forEach((sessions) -> sessions.remove(session));
		this.subscribers.values().removeIf(Set::isEmpty);
	}

}
