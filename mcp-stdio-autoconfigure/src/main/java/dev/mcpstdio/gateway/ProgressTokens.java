package dev.mcpstdio.gateway;

import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/** The progress token of a request's {@code _meta} or of a progress notification. */
final class ProgressTokens {

	private ProgressTokens() {
	}

	/** The token params carry, in {@code _meta} or (a notification's) at the top. */
	static @Nullable Object of(@Nullable Object params) {
		if (!(params instanceof Map<?, ?> map)) {
			return null;
		}
		if (map.get("progressToken") != null) {
			return map.get("progressToken");
		}
		return (map.get("_meta") instanceof Map<?, ?> meta) ? meta.get("progressToken") : null;
	}

	/** A request's params with the token in its {@code _meta} replaced. */
	static Object inRequest(@Nullable Object params, Object token) {
		Map<Object, Object> copy = (params instanceof Map<?, ?> map) ? new LinkedHashMap<>(map) : new LinkedHashMap<>();
		Map<Object, Object> meta = (copy.get("_meta") instanceof Map<?, ?> map) ? new LinkedHashMap<>(map)
				: new LinkedHashMap<>();
		meta.put("progressToken", token);
		copy.put("_meta", meta);
		return copy;
	}

	/** A progress notification's params with its token replaced. */
	static @Nullable Object inNotification(@Nullable Object params, @Nullable Object token) {
		if (!(params instanceof Map<?, ?> map)) {
			return params;
		}
		Map<Object, Object> copy = new LinkedHashMap<>(map);
		copy.put("progressToken", token);
		return copy;
	}

}
