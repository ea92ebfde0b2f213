package dev.mcpstdio.gateway;

import java.util.Map;

import io.modelcontextprotocol.spec.McpSchema;
import org.jspecify.annotations.Nullable;

/**
 * What a session's client declared in its {@code initialize}: a request of the server's
 * that needs a capability the client lacks is not forwarded to it.
 *
 * @param declared the client's {@code capabilities}
 */
record ClientCapabilities(Map<?, ?> declared) {

	/** The capability the client lacks for a request of the server's, or null. */
	@Nullable String missingFor(String method) {
		String needed = switch (method) {
			case McpSchema.METHOD_SAMPLING_CREATE_MESSAGE -> "sampling";
			case McpSchema.METHOD_ELICITATION_CREATE -> "elicitation";
			case McpSchema.METHOD_ROOTS_LIST -> "roots";
			default -> null;
		};
		return (needed != null && this.declared.get(needed) == null) ? needed : null;
	}

}
