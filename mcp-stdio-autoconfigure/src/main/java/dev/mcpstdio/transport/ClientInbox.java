package dev.mcpstdio.transport;

import java.util.function.Function;

import io.modelcontextprotocol.spec.McpSchema.JSONRPCMessage;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * Where a connection's messages for the client go: the handler the client gave on
 * connect. A handler that fails is logged, never thrown into the reader thread that
 * delivers.
 */
final class ClientInbox {

	private static final Logger logger = LoggerFactory.getLogger(ClientInbox.class);

	private final String name;

	private volatile @Nullable Function<Mono<JSONRPCMessage>, Mono<JSONRPCMessage>> handler;

	ClientInbox(String name) {
		this.name = name;
	}

	void connect(Function<Mono<JSONRPCMessage>, Mono<JSONRPCMessage>> handler) {
		this.handler = handler;
	}

	/** Hands a message to the client; dropped before the client connected. */
	void deliver(JSONRPCMessage message) {
		Function<Mono<JSONRPCMessage>, Mono<JSONRPCMessage>> receiver = this.handler;
		if (receiver == null) {
			return;
		}
		try {
			receiver.apply(Mono.just(message))
				.subscribe(null, (error) -> logger.warn("MCP server '{}': handling {} failed", this.name,
						ErrorResponses.describe(message), error));
		}
		catch (RuntimeException ex) {
			logger.warn("MCP server '{}': handling {} failed", this.name, ErrorResponses.describe(message), ex);
		}
	}

}
