package dev.mcpstdio.transport;

import java.time.Duration;
import java.util.function.Function;
import java.util.function.Supplier;

import dev.mcpstdio.transport.inflight.Cancellations;
import dev.mcpstdio.transport.inflight.CancelledRequests;
import dev.mcpstdio.transport.inflight.ErrorResponses;
import dev.mcpstdio.transport.inflight.HeldCalls;
import dev.mcpstdio.transport.inflight.InFlightRequests;
import dev.mcpstdio.transport.observation.RequestObservations;
import dev.mcpstdio.transport.observation.RequestObserver;
import dev.mcpstdio.transport.observation.ServerRequestObservations;
import dev.mcpstdio.transport.pipe.ChildPipes;
import dev.mcpstdio.transport.pipe.Redactor;
import dev.mcpstdio.transport.pipe.StderrSink;
import io.micrometer.observation.Observation;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCMessage;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCRequest;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCResponse;
import reactor.core.publisher.Mono;
import reactor.util.context.ContextView;

/**
 * The frame path of a connection: its JSON-RPC messages between the client and the child.
 * Out, a message of the client's is written to the child's stdin by the
 * {@link MessageSender}: a request as a child of the caller's observation, a sync
 * caller's request through {@link HeldCalls} (its interrupt cancels it), the client's
 * answer to a request of the server's ending that request's observation. In, each line of
 * the child's stdout is decoded by the {@link StdoutDecoder} and handed to the
 * {@link ClientInbox}. A request given up on is told to the server by the
 * {@link Cancellations}.
 */
final class MessagePath {

	private final RequestObservations observations;

	private final ServerRequestObservations serverRequests;

	private final ClientInbox inbox;

	private final StdoutDecoder decoder;

	private final MessageSender sender;

	private final HeldCalls held;

	private final Cancellations cancellations;

	/**
	 * @param name the server's name
	 * @param options the connection's options
	 * @param jsonMapper maps JSON-RPC messages
	 * @param state the connection's state
	 * @param inFlight the requests waiting for their response
	 * @param end the connection's end
	 * @param stderr the child's stderr, whose tail errors show
	 * @param pipes the child's pipes, once it runs
	 * @param observations observes the requests
	 * @param serverRequests observes the requests of the server's
	 * @param inbox where the messages for the client go
	 * @param observer told of every line that is not JSON-RPC; must not throw
	 * @param redactor masks secrets in what is logged
	 */
	MessagePath(String name, StdioTransportOptions options, McpJsonMapper jsonMapper, ConnectionState state,
			InFlightRequests inFlight, ConnectionEnd end, StderrSink stderr, Supplier<ChildPipes> pipes,
			RequestObservations observations, ServerRequestObservations serverRequests, ClientInbox inbox,
			RequestObserver observer, Redactor redactor) {
		this.observations = observations;
		this.serverRequests = serverRequests;
		this.inbox = inbox;
		CancelledRequests cancelled = new CancelledRequests();
		this.decoder = new StdoutDecoder(name, options.maxMessageSize(), jsonMapper, inFlight, cancelled,
				options.tools(), options.progress().resetsTimeout(), observer, redactor, inbox::deliver);
		this.sender = new MessageSender(name, options, jsonMapper, state, inFlight, end, stderr, pipes, observations);
		this.cancellations = new Cancellations(name, options.requestTimeout(), inFlight, cancelled,
				(notification) -> this.sender.send(notification, Duration.ZERO), new ErrorResponses(name),
				inbox::deliver, stderr::tail);
		this.held = new HeldCalls(this.sender::send, inFlight, this.cancellations::callerInterrupted);
	}

	/** Connects the client: the messages for it go to its handler from now on. */
	void connect(Function<Mono<JSONRPCMessage>, Mono<JSONRPCMessage>> handler) {
		this.inbox.connect(handler);
	}

	/**
	 * Sends a message of the client's; a request fails if not answered within the
	 * timeout.
	 * @param message the message
	 * @param timeout how long a request may wait for its response, zero for ever
	 * @param context the Reactor context it is sent in: the caller's observation and
	 * thread
	 */
	void send(JSONRPCMessage message, Duration timeout, ContextView context) {
		if (message instanceof JSONRPCResponse response) {
			// the client's answer to a request of the server's
			this.serverRequests.answered(response);
		}
		Observation parent = (message instanceof JSONRPCRequest) ? this.observations.parent(context) : null;
		if (message instanceof JSONRPCRequest request && !McpSchema.METHOD_INITIALIZE.equals(request.method())
				&& CallingThread.waitsHere(context)) {
			// a sync caller: held here, so that its interrupt cancels the request
			this.held.send(request, timeout, parent);
		}
		else {
			this.sender.send(message, timeout, parent);
		}
	}

	/** The decoder the child's stdout is read into. */
	StdoutDecoder decoder() {
		return this.decoder;
	}

	/**
	 * How the connection gives up on requests, which the sweeps of
	 * {@link RequestTimeouts} ask to fail the overdue ones.
	 */
	Cancellations cancellations() {
		return this.cancellations;
	}

	/**
	 * Gives up on a request still in flight and tells the server so, once.
	 * @return whether it was in flight (false: answered, or cancelled, already)
	 */
	boolean cancel(Object id, String reason) {
		return this.cancellations.cancel(id, reason);
	}

	/** The connection ended: the server's requests still unanswered end unanswered. */
	void ended() {
		this.serverRequests.ended();
	}

}
