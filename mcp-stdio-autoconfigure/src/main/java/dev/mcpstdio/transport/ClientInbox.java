package dev.mcpstdio.transport;

import java.util.function.Function;

import dev.mcpstdio.transport.inflight.InFlightRequests;
import dev.mcpstdio.transport.observation.ServerRequestObservations;
import io.micrometer.observation.Observation;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCMessage;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCRequest;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCResponse;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * Where a connection's messages for the client go: the handler the client gave on
 * connect. A request of the server's is handed over inside its observation; an answer (or
 * the error in its place) then releases the caller held for it, who finds it delivered. A
 * handler that fails is logged, never thrown into the reader thread that delivers.
 */
final class ClientInbox {

	private static final Logger logger = LoggerFactory.getLogger(ClientInbox.class);

	private final String name;

	private final ServerRequestObservations serverRequests;

	private final InFlightRequests inFlight;

	private volatile @Nullable Function<Mono<JSONRPCMessage>, Mono<JSONRPCMessage>> handler;

	/**
	 * @param name the server's name
	 * @param serverRequests observes the requests of the server's
	 * @param inFlight the requests in flight, whose held callers an answer releases
	 */
	ClientInbox(String name, ServerRequestObservations serverRequests, InFlightRequests inFlight) {
		this.name = name;
		this.serverRequests = serverRequests;
		this.inFlight = inFlight;
	}

	void connect(Function<Mono<JSONRPCMessage>, Mono<JSONRPCMessage>> handler) {
		this.handler = handler;
	}

	/**
	 * Hands a message to the client (dropped before the client connected); an answer then
	 * releases the caller held for it.
	 */
	void deliver(JSONRPCMessage message) {
		// a request of the server's: handed to the client inside its observation
		Observation serverRequest = (message instanceof JSONRPCRequest request) ? this.serverRequests.received(request)
				: null;
		try (Observation.Scope scope = (serverRequest != null) ? serverRequest.openScope() : null) {
			handOver(message);
		}
		finally {
			if (message instanceof JSONRPCResponse response && response.id() != null) {
				this.inFlight.release(response.id());
			}
		}
	}

	private void handOver(JSONRPCMessage message) {
		Function<Mono<JSONRPCMessage>, Mono<JSONRPCMessage>> receiver = this.handler;
		if (receiver == null) {
			return;
		}
		try {
			receiver.apply(Mono.just(message))
				.subscribe(null, (error) -> logger.warn("MCP server '{}': handling {} failed", this.name,
						MessageSender.describe(message), error));
		}
		catch (RuntimeException ex) {
			logger.warn("MCP server '{}': handling {} failed", this.name, MessageSender.describe(message), ex);
		}
	}

}
