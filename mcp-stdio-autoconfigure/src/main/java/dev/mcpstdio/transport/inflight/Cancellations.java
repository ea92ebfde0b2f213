package dev.mcpstdio.transport.inflight;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

import dev.mcpstdio.transport.observation.RequestObserver;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCMessage;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a connection gives up on a request still in flight (its timeout passed, its caller
 * was interrupted, or someone cancels it): the request leaves, its caller gets the error
 * in place of the answer, and the server is told once, with a
 * {@code notifications/cancelled} of its id and the reason (never for {@code initialize},
 * which the MCP specification says is not cancelled); its late answer and progress are
 * then dropped quietly.
 */
public final class Cancellations {

	/** The notification that tells a server a request was given up on. */
	static final String METHOD_CANCELLED = "notifications/cancelled";

	private static final Logger logger = LoggerFactory.getLogger(Cancellations.class);

	private final String name;

	private final Duration requestTimeout;

	private final InFlightRequests inFlight;

	private final CancelledRequests cancelled;

	private final Consumer<JSONRPCNotification> toServer;

	private final ErrorResponses errors;

	private final Consumer<JSONRPCMessage> toClient;

	private final Supplier<List<String>> stderrTail;

	/**
	 * @param name the server's name
	 * @param requestTimeout the server's request-timeout, for the errors that name it
	 * @param inFlight the requests in flight
	 * @param cancelled the requests given up on, whose late messages are dropped
	 * @param toServer writes the cancellations to the server
	 * @param errors the errors given in place of answers
	 * @param toClient hands the errors to the client
	 * @param stderrTail the child's last stderr lines, for the errors
	 */
	public Cancellations(String name, Duration requestTimeout, InFlightRequests inFlight, CancelledRequests cancelled,
			Consumer<JSONRPCNotification> toServer, ErrorResponses errors, Consumer<JSONRPCMessage> toClient,
			Supplier<List<String>> stderrTail) {
		this.name = name;
		this.requestTimeout = requestTimeout;
		this.inFlight = inFlight;
		this.cancelled = cancelled;
		this.toServer = toServer;
		this.errors = errors;
		this.toClient = toClient;
		this.stderrTail = stderrTail;
	}

	/** Fails the requests whose timeout has passed, and tells the server. */
	void expireOverdue(long nowNanos) {
		for (InFlightRequest request : this.inFlight.expire(nowNanos)) {
			this.toClient.accept(this.errors.timedOut(request, this.requestTimeout, this.stderrTail.get()));
			tellServer(request, ErrorResponses.timeoutName(request, this.requestTimeout) + " exceeded");
		}
	}

	/**
	 * Gives up on a request for whoever sent it, who deals with its caller (a ping of the
	 * health checks).
	 * @return whether it was in flight (false: answered, or cancelled, already)
	 */
	public boolean cancel(Object id, String reason) {
		InFlightRequest request = this.inFlight.complete(id, RequestObserver.Outcome.TIMEOUT);
		if (request == null) {
			return false;
		}
		this.inFlight.release(id);
		tellServer(request, reason);
		return true;
	}

	/**
	 * A sync caller was interrupted while its request was in flight: the request fails
	 * for the caller (the SDK gives it up), and the server is told.
	 */
	public void callerInterrupted(Object id) {
		InFlightRequest request = this.inFlight.complete(id, RequestObserver.Outcome.CANCELLED);
		if (request != null) {
			String reason = "its caller was interrupted";
			this.toClient.accept(this.errors.cancelled(request, reason));
			tellServer(request, reason);
		}
	}

	private void tellServer(InFlightRequest request, String reason) {
		if (McpSchema.METHOD_INITIALIZE.equals(request.method())) {
			return;
		}
		this.cancelled.add(request.id(), request.progressToken());
		try {
			this.toServer.accept(new JSONRPCNotification(McpSchema.JSONRPC_VERSION, METHOD_CANCELLED,
					Map.of("requestId", request.id(), "reason", reason)));
		}
		catch (RuntimeException ex) {
			// the connection is ending: the server will not work on for it
			logger.debug("MCP server '{}': the cancellation of request {} was not sent: {}", this.name, request.id(),
					ex.getMessage());
		}
	}

}
