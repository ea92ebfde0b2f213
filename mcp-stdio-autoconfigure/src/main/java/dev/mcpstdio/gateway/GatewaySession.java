package dev.mcpstdio.gateway;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import dev.mcpstdio.gateway.GatewayObserver.Outcome;
import dev.mcpstdio.server.McpStdioChannel;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCMessage;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCNotification;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCRequest;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCResponse;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client's session with one server through the gateway, over a
 * {@link McpStdioChannel}. The client's requests go to the process (on a shared process
 * under ids and progress tokens of the gateway's, restored on the way back, so that two
 * sessions' ids never meet); what the process sends goes where it belongs through the
 * {@link SessionStreams}: an answer and the progress of a request on that request's
 * stream, other messages on the stream of the one request in flight, else on the GET
 * stream. A request of the server's is forwarded only if the client declared the
 * capability it needs.
 */
final class GatewaySession {

	private static final Logger logger = LoggerFactory.getLogger(GatewaySession.class);

	/** How soon a client that lost a stream is told to resume it. */
	static final Duration RETRY = Duration.ofSeconds(1);

	private final String id;

	private final String server;

	private final String protocolVersion;

	private final ClientCapabilities clientCapabilities;

	private final Messages messages;

	private final Clock clock;

	private final SessionStreams streams;

	private final ProcessIds processIds;

	private final @Nullable Multiplex multiplex;

	private final Consumer<GatewaySession> onEnd;

	private final GatewayObserver observer;

	private final Map<String, PendingRequest> byProcessId = new ConcurrentHashMap<>();

	private final Map<String, PendingRequest> byClientId = new ConcurrentHashMap<>();

	private final Map<String, PendingRequest> byProcessToken = new ConcurrentHashMap<>();

	/**
	 * The requests of the server's handed to this session's client and not answered yet:
	 * the client may answer these only, never one meant for another session.
	 */
	private final Set<String> asked = ConcurrentHashMap.newKeySet();

	private final AtomicBoolean ended = new AtomicBoolean();

	private volatile @Nullable McpStdioChannel channel;

	private volatile Instant lastActivity;

	GatewaySession(String id, String server, String protocolVersion, Map<?, ?> clientCapabilities, Messages messages,
			Clock clock, int eventBuffer, ProcessIds processIds, @Nullable Multiplex multiplex,
			GatewayObserver observer, Consumer<GatewaySession> onEnd) {
		this.id = id;
		this.server = server;
		this.protocolVersion = protocolVersion;
		this.clientCapabilities = new ClientCapabilities(clientCapabilities);
		this.messages = messages;
		this.clock = clock;
		this.streams = new SessionStreams(eventBuffer, protocolVersion, (events) -> observer.replayed(server, events));
		this.observer = observer;
		this.processIds = processIds;
		this.multiplex = multiplex;
		this.onEnd = onEnd;
		this.lastActivity = clock.instant();
	}

	String id() {
		return this.id;
	}

	String server() {
		return this.server;
	}

	String protocolVersion() {
		return this.protocolVersion;
	}

	SessionStreams streams() {
		return this.streams;
	}

	/** Binds the session to its channel; a channel that ends ends the session. */
	void bind(McpStdioChannel channel) {
		this.channel = channel;
		channel.whenEnded().whenComplete((done, error) -> end());
	}

	/** The process's answer to initialize, as the starter had it. */
	Map<String, Object> initializeResult() {
		McpStdioChannel bound = this.channel;
		return (bound != null) ? bound.initializeResult() : Map.of();
	}

	/** The pid of the session's process. */
	long pid() {
		McpStdioChannel bound = this.channel;
		return (bound != null) ? bound.pid() : -1;
	}

	boolean isEnded() {
		return this.ended.get();
	}

	/** The client's requests in flight: sent on, not yet answered. */
	int inFlight() {
		return this.byClientId.size();
	}

	/** Whether the session had no request in flight and no activity for the timeout. */
	boolean idleSince(Instant now, Duration timeout) {
		return this.byClientId.isEmpty() && this.lastActivity.plus(timeout).isBefore(now);
	}

	private void touch() {
		this.lastActivity = this.clock.instant();
	}

	/** A request of the client's, its messages to go to the outlet. */
	void request(JSONRPCRequest request, Outlet outlet) {
		touch();
		McpStdioChannel bound = this.channel;
		if (bound == null) {
			return;
		}
		boolean shared = bound.shared();
		Multiplex views = this.multiplex;
		if (shared && (McpSchema.METHOD_PING.equals(request.method())
				|| views != null && views.answersItself(this, request))) {
			this.streams.answer(outlet, this.messages.write(this.messages.result(request.id(), Map.of())));
			ended(request.method(), Outcome.SUCCESS);
			return;
		}
		Object params = (shared && views != null) ? views.params(this, request) : request.params();
		Object processId = shared ? this.processIds.next() : request.id();
		Object clientToken = ProgressTokens.of(params);
		String processToken = (shared && clientToken != null) ? this.processIds.nextToken() : null;
		if (processToken != null) {
			params = ProgressTokens.inRequest(params, processToken);
		}
		PendingRequest pending = new PendingRequest(request.id(), processId, request.method(), clientToken,
				processToken, outlet);
		if (this.byClientId.putIfAbsent(PendingRequest.key(request.id()), pending) != null) {
			this.streams.answer(outlet, this.messages.write(this.messages.error(request.id(),
					McpSchema.ErrorCodes.INVALID_REQUEST, "request id " + request.id() + " is already in flight")));
			ended(request.method(), Outcome.ERROR);
			return;
		}
		this.byProcessId.put(PendingRequest.key(processId), pending);
		if (processToken != null) {
			this.byProcessToken.put(processToken, pending);
		}
		try {
			bound.send(new JSONRPCRequest(request.jsonrpc(), request.method(), processId, params));
		}
		catch (RuntimeException ex) {
			forget(pending);
			this.streams.answer(outlet, this.messages
				.write(this.messages.error(request.id(), McpSchema.ErrorCodes.INTERNAL_ERROR, ex.getMessage())));
			ended(request.method(), Outcome.ERROR);
		}
	}

	/** A notification of the client's, or its answer to a request of the server's. */
	void fromClient(JSONRPCMessage message) {
		touch();
		McpStdioChannel bound = this.channel;
		if (bound == null || message instanceof JSONRPCNotification notification
				&& McpSchema.METHOD_NOTIFICATION_INITIALIZED.equals(notification.method())) {
			return; // the process was initialized by the starter
		}
		if (message instanceof JSONRPCNotification notification
				&& "notifications/cancelled".equals(notification.method())
				&& notification.params() instanceof Map<?, ?> params && params.get("requestId") != null) {
			PendingRequest pending = this.byClientId.get(PendingRequest.key(params.get("requestId")));
			if (pending != null) {
				forget(pending);
				Object reason = params.get("reason");
				bound.cancel(pending.processId, (reason != null) ? reason.toString() : "cancelled by the client");
				pending.outlet.close();
				ended(pending.method, Outcome.CANCELLED);
			}
			return;
		}
		if (message instanceof JSONRPCResponse answer && !this.asked.remove(PendingRequest.key(answer.id()))) {
			logger.debug("MCP server '{}': gateway session {} answered request {}, which was not asked of it: dropped",
					this.server, this.id, answer.id());
			return;
		}
		try {
			bound.send(message);
		}
		catch (RuntimeException ex) {
			logger.debug("MCP server '{}': a message of gateway session {} was not sent: {}", this.server, this.id,
					ex.getMessage());
		}
	}

	/** A message of the process's for this session. */
	void fromProcess(JSONRPCMessage message) {
		if (message instanceof JSONRPCResponse response) {
			PendingRequest pending = this.byProcessId.get(PendingRequest.key(response.id()));
			if (pending != null) {
				forget(pending);
				touch();
				this.streams.answer(pending, this.messages.write(new JSONRPCResponse(response.jsonrpc(),
						pending.clientId, response.result(), response.error())));
				ended(pending.method, (response.error() != null) ? Outcome.ERROR : Outcome.SUCCESS);
			}
		}
		else if (message instanceof JSONRPCNotification notification) {
			fromProcess(notification);
		}
		else if (message instanceof JSONRPCRequest request) {
			String missing = this.clientCapabilities.missingFor(request.method());
			if (missing != null) {
				refuse(request, missing);
				return;
			}
			touch();
			this.asked.add(PendingRequest.key(request.id()));
			this.streams.unrelated(this.byClientId.values(), this.messages.write(request));
		}
	}

	private void fromProcess(JSONRPCNotification notification) {
		Object token = ProgressTokens.of(notification.params());
		if (McpSchema.METHOD_NOTIFICATION_PROGRESS.equals(notification.method()) && token != null) {
			PendingRequest pending = this.byProcessToken.get(token.toString());
			if (pending == null && this.multiplex == null) {
				pending = this.byClientId.values()
					.stream()
					.filter((candidate) -> token.equals(candidate.clientToken))
					.findFirst()
					.orElse(null);
			}
			if (pending == null) {
				return; // another session's, or a request's that ended
			}
			touch();
			Object params = (pending.processToken != null)
					? ProgressTokens.inNotification(notification.params(), pending.clientToken) : notification.params();
			this.streams.related(pending, this.messages
				.write(new JSONRPCNotification(notification.jsonrpc(), notification.method(), params)));
			return;
		}
		Multiplex views = this.multiplex;
		if (views != null && !views.wanted(this, notification)) {
			return;
		}
		touch();
		this.streams.unrelated(this.byClientId.values(), this.messages.write(notification));
	}

	/** The client opened its GET stream. */
	void openGetStream(SseStream stream, @Nullable String lastEventId) {
		touch();
		this.streams.openGetStream(stream, lastEventId, this.byClientId.values());
	}

	/**
	 * Ends the session: its streams close, its channel closes (a process of its own
	 * stops).
	 */
	void end() {
		if (!this.ended.compareAndSet(false, true)) {
			return;
		}
		this.onEnd.accept(this);
		if (this.multiplex != null) {
			this.multiplex.ended(this);
		}
		McpStdioChannel bound = this.channel;
		if (bound != null) {
			bound.close();
		}
		this.streams.close();
		this.byClientId.values().forEach((pending) -> {
			pending.outlet.close();
			ended(pending.method, Outcome.UNANSWERED);
		});
		this.byClientId.clear();
		this.byProcessId.clear();
		this.byProcessToken.clear();
	}

	private void ended(String method, Outcome outcome) {
		this.observer.request(this.server, GatewayObserver.method(method), outcome);
	}

	private void forget(PendingRequest pending) {
		this.byClientId.remove(PendingRequest.key(pending.clientId));
		this.byProcessId.remove(PendingRequest.key(pending.processId));
		if (pending.processToken != null) {
			this.byProcessToken.remove(pending.processToken);
		}
	}

	private void refuse(JSONRPCRequest request, String capability) {
		McpStdioChannel bound = this.channel;
		try {
			if (bound != null) {
				bound.send(this.messages.error(request.id(), McpSchema.ErrorCodes.METHOD_NOT_FOUND,
						"the gateway's client did not declare the '" + capability + "' capability, so '"
								+ request.method() + "' was not forwarded to it"));
			}
		}
		catch (RuntimeException ex) {
			logger.debug("MCP server '{}': refusing its {} failed: {}", this.server, request.method(), ex.getMessage());
		}
	}

}
