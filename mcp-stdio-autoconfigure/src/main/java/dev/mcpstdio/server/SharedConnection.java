package dev.mcpstdio.server;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCMessage;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCNotification;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCRequest;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCResponse;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * The transport under a keep-alive server's shared client: one logical connection that
 * outlives the server's processes. The server initializes each new process itself, so the
 * client's {@code initialize} is answered from that result and a restart is invisible to
 * the client; messages sent while no process is ready wait for one, and the wait and the
 * answer share one {@code request-timeout}.
 */
final class SharedConnection implements McpClientTransport {

	private static final Logger logger = LoggerFactory.getLogger(SharedConnection.class);

	private static final Duration MIN_LEFT = Duration.ofMillis(1);

	private final KeepAliveServer server;

	private final Clock clock;

	private volatile @Nullable Function<Mono<JSONRPCMessage>, Mono<JSONRPCMessage>> clientHandler;

	/**
	 * The ids of the requests this connection's client sent and that are not answered
	 * yet.
	 */
	private final Set<String> sent = ConcurrentHashMap.newKeySet();

	SharedConnection(KeepAliveServer server, Clock clock) {
		this.server = server;
		this.clock = clock;
	}

	@Override
	public Mono<Void> connect(Function<Mono<JSONRPCMessage>, Mono<JSONRPCMessage>> handler) {
		return Mono.fromRunnable(() -> this.clientHandler = handler);
	}

	@Override
	public Mono<Void> sendMessage(JSONRPCMessage message) {
		if (message instanceof JSONRPCRequest request && McpSchema.METHOD_INITIALIZE.equals(request.method())) {
			return this.server.awaitReady(this.server.definition().initializeTimeout(), request.method())
				.doOnNext(
						(generation) -> deliver(JSONRPCResponse.result(request.id(), generation.rawInitializeResult())))
				.then();
		}
		if (message instanceof JSONRPCNotification notification
				&& McpSchema.METHOD_NOTIFICATION_INITIALIZED.equals(notification.method())) {
			return Mono.empty(); // the server sent it when it initialized the process
		}
		String method = (message instanceof JSONRPCRequest request) ? request.method() : "message";
		if (message instanceof JSONRPCRequest request) {
			String id = String.valueOf(request.id());
			this.sent.add(id);
			// a request that never left gets no answer to take its id out
			return send(message, method).doOnError((error) -> this.sent.remove(id));
		}
		return send(message, method);
	}

	private Mono<Void> send(JSONRPCMessage message, String method) {
		return Mono.defer(() -> {
			// one deadline for the wait for a ready process and the answer
			Instant deadline = this.clock.instant().plus(this.server.definition().requestTimeout());
			return this.server.awaitReady(left(deadline), method).flatMap((generation) -> {
				this.server.touch();
				return generation.transport().sendMessage(message, left(deadline)).onErrorResume((error) -> {
					// the process was being replaced (idle stop, restart) as the message
					// left: once more
					if (this.server.isCurrent(generation)) {
						return Mono.error(error);
					}
					return this.server.awaitReady(left(deadline), method)
						.flatMap((next) -> next.transport().sendMessage(message, left(deadline)));
				});
			});
		});
	}

	/**
	 * What is left until the deadline; at least a millisecond, so that it still expires.
	 */
	private Duration left(Instant deadline) {
		Duration left = Duration.between(this.clock.instant(), deadline);
		return (left.compareTo(MIN_LEFT) < 0) ? MIN_LEFT : left;
	}

	/**
	 * Whether this connection's client sent the request of the id, forgetting it if so.
	 */
	boolean sent(Object id) {
		return this.sent.remove(String.valueOf(id));
	}

	/** Hands a message from the server's process to the client. */
	void deliver(JSONRPCMessage message) {
		Function<Mono<JSONRPCMessage>, Mono<JSONRPCMessage>> handler = this.clientHandler;
		if (handler == null) {
			logger.debug("MCP server '{}': no client session for {}", this.server.name(), message);
			return;
		}
		handler.apply(Mono.just(message))
			.subscribe(null,
					(error) -> logger.warn("MCP server '{}': handling a message failed", this.server.name(), error));
	}

	@Override
	public Mono<Void> closeGracefully() {
		// the server's lifecycle owns its process: closing the shared client does not
		// stop it
		return Mono.empty();
	}

	@Override
	public <T> T unmarshalFrom(Object data, TypeRef<T> typeRef) {
		return this.server.jsonMapper().convertValue(data, typeRef);
	}

}
