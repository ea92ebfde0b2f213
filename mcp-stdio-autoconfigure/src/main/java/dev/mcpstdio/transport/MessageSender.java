package dev.mcpstdio.transport;

import java.io.IOException;
import java.time.Duration;
import java.util.function.Supplier;

import dev.mcpstdio.transport.ConnectionState.State;
import dev.mcpstdio.transport.error.McpStdioException;
import dev.mcpstdio.transport.error.McpStdioRefusedException;
import dev.mcpstdio.transport.inflight.ErrorResponses;
import dev.mcpstdio.transport.inflight.InFlightRequests;
import dev.mcpstdio.transport.inflight.SentRequest;
import dev.mcpstdio.transport.observation.RequestObservations;
import dev.mcpstdio.transport.observation.RequestObserver;
import dev.mcpstdio.transport.pipe.ChildPipes;
import dev.mcpstdio.transport.pipe.StderrSink;
import io.micrometer.observation.Observation;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCMessage;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCRequest;
import org.jspecify.annotations.Nullable;

/**
 * Writes the messages of a connection to the child's stdin, one line each: refuses what
 * the connection does not accept (a request unless it is connected, a notification unless
 * it is connected or stopping), puts a request in flight with its timeout before it is
 * written, and fails a write the child refused with why the connection ended, where it
 * ends within {@code eof-timeout}.
 */
final class MessageSender {

	private final String name;

	private final StdioTransportOptions options;

	private final McpJsonMapper jsonMapper;

	private final ConnectionState state;

	private final InFlightRequests inFlight;

	private final ConnectionEnd end;

	private final StderrSink stderr;

	private final Supplier<ChildPipes> pipes;

	private final Admission admission;

	private final RequestObservations observations;

	/**
	 * @param name the server's name
	 * @param options the connection's options
	 * @param jsonMapper maps JSON-RPC messages
	 * @param state the connection's state
	 * @param inFlight the requests waiting for their response
	 * @param end the connection's end
	 * @param stderr the child's stderr, whose tail a refusal shows
	 * @param pipes the child's pipes, once it runs
	 * @param observations observes the requests
	 */
	MessageSender(String name, StdioTransportOptions options, McpJsonMapper jsonMapper, ConnectionState state,
			InFlightRequests inFlight, ConnectionEnd end, StderrSink stderr, Supplier<ChildPipes> pipes,
			RequestObservations observations) {
		this.name = name;
		this.options = options;
		this.jsonMapper = jsonMapper;
		this.state = state;
		this.inFlight = inFlight;
		this.end = end;
		this.stderr = stderr;
		this.pipes = pipes;
		this.admission = new Admission(name, options, inFlight);
		this.observations = observations;
	}

	/**
	 * Writes a message.
	 * @param message the message
	 * @param timeout how long a request may wait for its response, zero for ever
	 */
	void send(JSONRPCMessage message, Duration timeout) {
		send(message, timeout, null);
	}

	/**
	 * Writes a message; a request is observed as a child of the caller's observation.
	 * @param message the message
	 * @param timeout how long a request may wait for its response, zero for ever
	 * @param parent the caller's observation, if any
	 */
	void send(JSONRPCMessage message, Duration timeout, @Nullable Observation parent) {
		if (message instanceof JSONRPCRequest request) {
			sendRequest(request, timeout, parent);
			return;
		}
		State current = this.state.get();
		if (current != State.CONNECTED && current != State.STOPPING) {
			throw notAccepting(message, current);
		}
		write(serialize(message), null, message);
	}

	private void sendRequest(JSONRPCRequest request, Duration timeout, @Nullable Observation parent) {
		Admission.Admitted admitted = this.admission.admit(request, timeout);
		State current = this.state.get();
		if (current != State.CONNECTED) {
			throw notAccepting(request, current);
		}
		RequestObservations.Started started = this.observations.start(admitted.request(), admitted.sent().tool(),
				parent);
		// until it is in flight, its observation is ended here
		SentRequest sent = null;
		byte[] bytes;
		try {
			bytes = serialize(started.request());
			sent = this.admission.awaitTurn(admitted.sent()).observedBy(started.observation());
			this.inFlight.add(sent);
		}
		catch (RuntimeException ex) {
			if (sent != null && sent.holdsTurn()) {
				this.inFlight.turns().giveBack();
			}
			this.observations.failed(started.observation(), ex);
			throw ex;
		}
		// the connection may have ended since the check: then the request must not
		// linger
		State now = this.state.get();
		if (now != State.CONNECTED && this.inFlight.complete(request.id(), RequestObserver.Outcome.ERROR) != null) {
			throw notAccepting(request, now);
		}
		write(bytes, request.id(), request);
	}

	private byte[] serialize(JSONRPCMessage message) {
		try {
			return this.jsonMapper.writeValueAsBytes(message);
		}
		catch (IOException ex) {
			throw new McpStdioException(this.name,
					"MCP server '" + this.name + "': could not serialize " + describe(message), ex);
		}
	}

	/**
	 * Writes a message's line; a request whose write failed leaves, failed with why the
	 * connection ended where it ends within {@code eof-timeout}.
	 */
	private void write(byte[] bytes, @Nullable Object id, JSONRPCMessage message) {
		ChildPipes child = this.pipes.get();
		try {
			child.writeLine(bytes);
		}
		catch (IOException ex) {
			if (id == null || this.inFlight.complete(id, RequestObserver.Outcome.ERROR) != null) {
				McpStdioException ended = this.end.awaitTerminalError(this.options.stopTimeouts().eof());
				throw (ended != null) ? notAccepting(message, this.state.get())
						: new McpStdioException(this.name, "MCP server '" + this.name + "' (pid " + child.child().pid()
								+ "): could not write " + describe(message) + ": " + ex.getMessage(), ex);
			}
		}
	}

	/** A message as errors name it: its kind and method (and a tools/call's tool). */
	static String describe(JSONRPCMessage message) {
		if (message instanceof JSONRPCRequest request) {
			return ErrorResponses.describe(request.method(), ToolPolicy.toolName(request));
		}
		if (message instanceof McpSchema.JSONRPCNotification notification) {
			return "notification '" + notification.method() + "'";
		}
		return "response";
	}

	private McpStdioException notAccepting(JSONRPCMessage message, State current) {
		McpStdioException terminal = this.end.terminalError();
		if (terminal != null) {
			return ErrorResponses.again(terminal);
		}
		String why = switch (current) {
			case NEW, STARTING -> "is not connected yet";
			case STOPPING -> "is stopping and refuses new requests";
			default -> "is stopped";
		};
		return new McpStdioRefusedException(this.name,
				"MCP server '" + this.name + "' " + why + ": " + describe(message) + " was not sent", null,
				this.stderr.tail());
	}

}
