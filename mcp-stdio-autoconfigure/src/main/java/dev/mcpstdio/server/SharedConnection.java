package dev.mcpstdio.server;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;

import dev.mcpstdio.transport.error.McpStdioException;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCMessage;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCNotification;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCRequest;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCResponse;
import io.modelcontextprotocol.spec.McpTransportSessionNotFoundException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * The transport under a keep-alive server's shared client: one logical connection that
 * outlives the server's processes. The server initializes each new process itself, so the
 * client's {@code initialize} is answered from that result and a restart is invisible to
 * the client; messages sent while no process is ready wait for one, and the wait and the
 * answer share one {@code request-timeout}. When the server cannot give a process
 * (FAILED, stopped, backing off past the timeout, or failing to start), the client's
 * {@code initialize} is answered with a placeholder, so that the caller's own request
 * fails with the server's reason rather than the SDK's "Client failed to initialize";
 * once a process is ready, the client is told to initialize again.
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

	private volatile Consumer<Throwable> exceptionHandler = (error) -> {
	};

	/** Whether the client holds a placeholder initialize result. */
	private final AtomicBoolean placeholder = new AtomicBoolean();

	/** Where the caller's observation is, for a request sent on the caller's thread. */
	private final ObservationRegistry observations;

	SharedConnection(KeepAliveServer server, Clock clock, ObservationRegistry observations) {
		this.server = server;
		this.clock = clock;
		this.observations = observations;
	}

	@Override
	public Mono<Void> connect(Function<Mono<JSONRPCMessage>, Mono<JSONRPCMessage>> handler) {
		return Mono.fromRunnable(() -> this.clientHandler = handler);
	}

	/**
	 * The client's sessions by the prefix of their request ids: a client that initializes
	 * again opens a new session while a caller may still send through the old one, whose
	 * answer must reach the old session, which waits for it.
	 */
	private final SessionHandlers sessions = new SessionHandlers();

	@Override
	public Mono<Void> sendMessage(JSONRPCMessage message) {
		if (message instanceof JSONRPCRequest request && McpSchema.METHOD_INITIALIZE.equals(request.method())) {
			// a session's first request: the handler connected last is its own
			Function<Mono<JSONRPCMessage>, Mono<JSONRPCMessage>> handler = this.clientHandler;
			if (handler != null) {
				this.sessions.opened(request.id(), handler);
			}
			return this.server.awaitReady(this.server.definition().requestTimeout(), request.method())
				.map(Generation::rawInitializeResult)
				.onErrorResume(McpStdioException.class, (why) -> Mono.fromSupplier(() -> placeholder(request)))
				.doOnNext((result) -> deliver(JSONRPCResponse.result(request.id(), result)))
				.then();
		}
		if (message instanceof JSONRPCNotification notification
				&& McpSchema.METHOD_NOTIFICATION_INITIALIZED.equals(notification.method())) {
			return Mono.empty(); // the server sent it when it initialized the process
		}
		String method = (message instanceof JSONRPCRequest request) ? request.method() : "message";
		if (message instanceof JSONRPCRequest request) {
			if (McpSchema.METHOD_LOGGING_SET_LEVEL.equals(request.method())) {
				this.server.loggingLevelSet(request.params());
			}
			String id = String.valueOf(request.id());
			this.sent.add(id);
			// a request that never left gets no answer to take its id out
			return send(message, method).doOnError((error) -> this.sent.remove(id));
		}
		return send(message, method);
	}

	private Mono<Void> send(JSONRPCMessage message, String method) {
		// on the caller's thread: its observation goes along to wherever the request is
		// sent from (the thread that makes the process ready, if it is not yet)
		Observation caller = (message instanceof JSONRPCRequest && !this.observations.isNoop())
				? this.observations.getCurrentObservation() : null;
		Mono<Void> sending = sendWhenReady(message, method);
		return (caller != null) ? sending.contextWrite((context) -> context.hasKey(ObservationThreadLocalAccessor.KEY)
				? context : context.put(ObservationThreadLocalAccessor.KEY, caller)) : sending;
	}

	private Mono<Void> sendWhenReady(JSONRPCMessage message, String method) {
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

	/**
	 * An answer was handed to the client: a client that holds a placeholder initializes
	 * again once that was the last request it had in flight. Called after the answer is
	 * delivered, since initializing again ends the SDK's session and fails the exchanges
	 * still waiting in it.
	 */
	void answered() {
		if (this.sent.isEmpty() && this.server.isReady()) {
			reinitializeIfPlaceholder();
		}
	}

	/**
	 * A process is ready: a client that holds a placeholder initializes again, once it
	 * has no request in flight (initializing again ends the SDK's session, and with it
	 * the exchanges still waiting).
	 */
	void processReady() {
		if (this.sent.isEmpty()) {
			reinitializeIfPlaceholder();
		}
	}

	private void reinitializeIfPlaceholder() {
		if (this.placeholder.compareAndSet(true, false)) {
			logger.debug("MCP server '{}' is ready: its client initializes again", this.server.name());
			this.exceptionHandler.accept(new McpTransportSessionNotFoundException(
					"MCP server '" + this.server.name() + "' has a process ready: initialize again"));
		}
	}

	/**
	 * What the client is told when no process can be ready: every capability (so that the
	 * caller's request reaches the server and fails with its reason), and the server's
	 * name.
	 */
	private Object placeholder(JSONRPCRequest request) {
		this.placeholder.set(true);
		McpSchema.InitializeRequest initialize = this.server.jsonMapper()
			.convertValue(request.params(), McpSchema.InitializeRequest.class);
		McpSchema.ServerCapabilities all = McpSchema.ServerCapabilities.builder()
			.completions()
			.logging()
			.prompts(false)
			.resources(false, false)
			.tools(false)
			.build();
		return new McpSchema.InitializeResult(initialize.protocolVersion(), all,
				new McpSchema.Implementation(this.server.name(), "unavailable"), null);
	}

	@Override
	public void setExceptionHandler(Consumer<Throwable> handler) {
		this.exceptionHandler = handler;
	}

	/** Hands a message from the server's process to the client. */
	void deliver(JSONRPCMessage message) {
		Function<Mono<JSONRPCMessage>, Mono<JSONRPCMessage>> handler = (message instanceof JSONRPCResponse response)
				? this.sessions.of(response.id(), this.clientHandler) : this.clientHandler;
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
