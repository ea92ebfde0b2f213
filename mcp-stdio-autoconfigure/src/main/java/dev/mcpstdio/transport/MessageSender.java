package dev.mcpstdio.transport;

import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import dev.mcpstdio.transport.ConnectionState.State;
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

	/** The start of the progress tokens the starter asks for of its own. */
	static final String OWN_PROGRESS_TOKEN = "mcp-stdio-progress-";

	private final String name;

	private final StdioTransportOptions options;

	private final McpJsonMapper jsonMapper;

	private final ConnectionState state;

	private final InFlightRequests inFlight;

	private final ConnectionEnd end;

	private final StderrSink stderr;

	private final Supplier<ChildPipes> pipes;

	/**
	 * @param name the server's name
	 * @param options the connection's options
	 * @param jsonMapper maps JSON-RPC messages
	 * @param state the connection's state
	 * @param inFlight the requests waiting for their response
	 * @param end the connection's end
	 * @param stderr the child's stderr, whose tail a refusal shows
	 * @param pipes the child's pipes, once it runs
	 */
	MessageSender(String name, StdioTransportOptions options, McpJsonMapper jsonMapper, ConnectionState state,
			InFlightRequests inFlight, ConnectionEnd end, StderrSink stderr, Supplier<ChildPipes> pipes) {
		this.name = name;
		this.options = options;
		this.jsonMapper = jsonMapper;
		this.state = state;
		this.inFlight = inFlight;
		this.end = end;
		this.stderr = stderr;
		this.pipes = pipes;
	}

	/**
	 * Writes a message.
	 * @param message the message
	 * @param timeout how long a request may wait for its response, zero for ever
	 */
	void send(JSONRPCMessage message, Duration timeout) {
		Object id = (message instanceof JSONRPCRequest request) ? request.id() : null;
		String tool = (message instanceof JSONRPCRequest request) ? ToolPolicy.toolName(request) : null;
		Duration toolTimeout = null;
		if (tool != null) {
			String refused = this.options.tools().refusal(tool).orElse(null);
			if (refused != null) {
				// it never reaches the server
				throw new McpStdioRefusedException(this.name,
						"MCP server '" + this.name + "': tool '" + tool + "' is " + refused + ", so it was not called",
						null, List.of());
			}
			toolTimeout = this.options.tools().requestTimeouts().get(tool);
		}
		State current = this.state.get();
		if (current != State.CONNECTED && (id != null || current != State.STOPPING)) {
			throw notAccepting(message, current);
		}
		boolean ownToken = false;
		if (tool != null && this.options.progress().resetsTimeout()
				&& ((JSONRPCRequest) message).params() instanceof McpSchema.CallToolRequest call
				&& call.progressToken() == null) {
			// asked for progress, so that a tool that reports it is not cut off as a hung
			// one
			message = withProgressToken((JSONRPCRequest) message, call);
			ownToken = true;
		}
		byte[] bytes;
		try {
			bytes = this.jsonMapper.writeValueAsBytes(message);
		}
		catch (IOException ex) {
			throw new McpStdioException(this.name,
					"MCP server '" + this.name + "': could not serialize " + ErrorResponses.describe(message), ex);
		}
		if (id != null) {
			String method = ((JSONRPCRequest) message).method();
			// initialize has a timeout of its own, applied by whoever sent it
			Object progressToken = progressToken(((JSONRPCRequest) message).params());
			Duration cap = this.options.progress().maxRequestTimeout();
			String capName = "max-request-timeout " + cap;
			if (McpSchema.METHOD_INITIALIZE.equals(method)) {
				this.inFlight.add(new InFlightRequests.Sent(id, method, null, null, false,
						InFlightRequests.Limits.of(Duration.ZERO), false));
			}
			else {
				Duration effective = (toolTimeout != null) ? toolTimeout(toolTimeout, timeout) : timeout;
				String timeoutName = (toolTimeout != null) ? "tools.request-timeouts." + tool + " " + toolTimeout
						: null;
				// pings judge the server's health, not its load: they take no turn
				boolean turn = !McpSchema.METHOD_PING.equals(method) && this.inFlight.capped();
				if (turn) {
					effective = awaitTurn(ErrorResponses.describe(method, tool), effective, timeoutName);
				}
				try {
					this.inFlight.add(new InFlightRequests.Sent(id, method, tool, progressToken, ownToken,
							new InFlightRequests.Limits(effective, timeoutName, cap, capName), turn));
				}
				catch (RuntimeException ex) {
					if (turn) {
						this.inFlight.giveBackTurn();
					}
					throw ex;
				}
			}
			// the connection may have ended since the check: then the request must
			// not linger
			State now = this.state.get();
			if (now != State.CONNECTED && this.inFlight.complete(id, RequestObserver.Outcome.ERROR) != null) {
				throw notAccepting(message, now);
			}
		}
		ChildPipes child = this.pipes.get();
		try {
			child.writeLine(bytes);
		}
		catch (IOException ex) {
			if (id == null || this.inFlight.complete(id, RequestObserver.Outcome.ERROR) != null) {
				McpStdioException ended = this.end.awaitTerminalError(this.options.stopTimeouts().eof());
				throw (ended != null) ? notAccepting(message, this.state.get())
						: new McpStdioException(this.name, "MCP server '" + this.name + "' (pid " + child.child().pid()
								+ "): could not write " + ErrorResponses.describe(message) + ": " + ex.getMessage(),
								ex);
			}
		}
	}

	/**
	 * The tools/call with a progress token of the starter's own in its {@code _meta}:
	 * {@link #OWN_PROGRESS_TOKEN} and the request's id.
	 */
	private static JSONRPCRequest withProgressToken(JSONRPCRequest request, McpSchema.CallToolRequest call) {
		Map<String, Object> meta = new HashMap<>();
		if (call.meta() != null) {
			meta.putAll(call.meta());
		}
		meta.put("progressToken", OWN_PROGRESS_TOKEN + request.id());
		return new JSONRPCRequest(request.jsonrpc(), request.method(), request.id(),
				new McpSchema.CallToolRequest(call.name(), call.arguments(), meta));
	}

	/**
	 * Waits for a turn at the server under max-concurrent-requests, within the request's
	 * own timeout.
	 * @return what is left of the timeout once the turn came
	 * @throws McpStdioTimeoutException if no turn came in time
	 */
	private Duration awaitTurn(String request, Duration timeout, @Nullable String timeoutName) {
		long start = System.nanoTime();
		if (!this.inFlight.awaitTurn(timeout)) {
			String limit = (timeoutName != null) ? timeoutName : "request-timeout " + timeout;
			String why = Thread.currentThread().isInterrupted() ? "was interrupted while it waited" : "waited " + limit;
			throw new McpStdioTimeoutException(this.name,
					"MCP server '" + this.name + "' had max-concurrent-requests " + this.options.maxConcurrentRequests()
							+ " requests at the server, and " + request + " " + why + " for its turn: it was not sent",
					null, List.of());
		}
		if (timeout.isZero()) {
			return timeout;
		}
		Duration left = timeout.minusNanos(System.nanoTime() - start);
		return (left.compareTo(Duration.ofMillis(1)) < 0) ? Duration.ofMillis(1) : left;
	}

	/**
	 * A tool's own timeout, less what the caller already waited of the server's
	 * request-timeout (for a ready process): what it was given is that timeout's rest.
	 */
	private Duration toolTimeout(Duration toolTimeout, Duration given) {
		Duration requestTimeout = this.options.requestTimeout();
		Duration waited = (!given.isZero() && given.compareTo(requestTimeout) < 0) ? requestTimeout.minus(given)
				: Duration.ZERO;
		Duration left = toolTimeout.minus(waited);
		return (left.compareTo(Duration.ofMillis(1)) < 0) ? Duration.ofMillis(1) : left;
	}

	/** The progress token a request's params carry in {@code _meta}, if any. */
	private static @Nullable Object progressToken(@Nullable Object params) {
		if (params instanceof McpSchema.Request request) {
			return request.progressToken();
		}
		if (params instanceof Map<?, ?> map && map.get("_meta") instanceof Map<?, ?> meta) {
			return meta.get("progressToken");
		}
		return null;
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
				"MCP server '" + this.name + "' " + why + ": " + ErrorResponses.describe(message) + " was not sent",
				null, this.stderr.tail());
	}

}
