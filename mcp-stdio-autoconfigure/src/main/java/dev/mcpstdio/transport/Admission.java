package dev.mcpstdio.transport;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.mcpstdio.transport.error.McpStdioRefusedException;
import dev.mcpstdio.transport.error.McpStdioTimeoutException;
import dev.mcpstdio.transport.inflight.InFlightRequests;
import dev.mcpstdio.transport.inflight.RequestLimits;
import dev.mcpstdio.transport.inflight.SentRequest;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCRequest;
import org.jspecify.annotations.Nullable;

/**
 * How a request goes out: a call of a tool that is not allowed is refused, a tools/call
 * asks for progress where progress restarts timeouts, each request gets its limits (its
 * tool's own timeout or the one given, and the cap), and under max-concurrent-requests it
 * waits for its turn.
 */
final class Admission {

	/** The start of the progress tokens the starter asks for of its own. */
	static final String OWN_PROGRESS_TOKEN = "mcp-stdio-progress-";

	private final String name;

	private final StdioTransportOptions options;

	private final InFlightRequests inFlight;

	/**
	 * @param name the server's name
	 * @param options the connection's options
	 * @param inFlight the requests in flight, which hold the turns
	 */
	Admission(String name, StdioTransportOptions options, InFlightRequests inFlight) {
		this.name = name;
		this.options = options;
		this.inFlight = inFlight;
	}

	/**
	 * The request as it goes out and its record in flight, before its turn.
	 * @param request the request as the client sent it
	 * @param timeout how long it may wait for its response, zero for ever
	 * @return the request and its record
	 * @throws McpStdioRefusedException for a call of a tool that is not allowed
	 */
	Admitted admit(JSONRPCRequest request, Duration timeout) {
		String tool = ToolPolicy.toolName(request);
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
		if (McpSchema.METHOD_INITIALIZE.equals(request.method())) {
			// initialize has a timeout of its own, applied by whoever sent it
			return new Admitted(request, new SentRequest(request.id(), request.method(), null, null, false,
					RequestLimits.of(Duration.ZERO), false));
		}
		boolean ownToken = false;
		if (tool != null && this.options.progress().resetsTimeout()
				&& request.params() instanceof McpSchema.CallToolRequest call && call.progressToken() == null) {
			// asked for progress, so that a tool that reports it is not cut off as a hung
			// one
			request = withProgressToken(request, call);
			ownToken = true;
		}
		Duration effective = (toolTimeout != null) ? toolTimeout(toolTimeout, timeout) : timeout;
		String timeoutName = (toolTimeout != null) ? "tools.request-timeouts." + tool + " " + toolTimeout : null;
		Duration cap = this.options.progress().maxRequestTimeout();
		RequestLimits limits = new RequestLimits(effective, timeoutName, cap, "max-request-timeout " + cap);
		return new Admitted(request, new SentRequest(request.id(), request.method(), tool,
				progressToken(request.params()), ownToken, limits, false));
	}

	/**
	 * Waits for a request's turn at the server where max-concurrent-requests caps them
	 * (pings, which judge the server's health and not its load, and initialize take
	 * none), within its own timeout.
	 * @param sent the request's record
	 * @return the record, holding its turn with what is left of its timeout
	 * @throws McpStdioTimeoutException if no turn came in time
	 */
	SentRequest awaitTurn(SentRequest sent) {
		if (!this.inFlight.turns().capped() || McpSchema.METHOD_PING.equals(sent.method())
				|| McpSchema.METHOD_INITIALIZE.equals(sent.method())) {
			return sent;
		}
		Duration timeout = sent.limits().timeout();
		long start = System.nanoTime();
		if (!this.inFlight.turns().await(timeout)) {
			String limit = (sent.limits().timeoutName() != null) ? sent.limits().timeoutName()
					: "request-timeout " + timeout;
			String why = Thread.currentThread().isInterrupted() ? "was interrupted while it waited" : "waited " + limit;
			throw new McpStdioTimeoutException(this.name,
					"MCP server '" + this.name + "' had max-concurrent-requests " + this.options.maxConcurrentRequests()
							+ " requests at the server, and " + sent.describe() + " " + why
							+ " for its turn: it was not sent",
					null, List.of());
		}
		Duration left = timeout.isZero() ? timeout : timeout.minusNanos(System.nanoTime() - start);
		return sent
			.holdingTurn((timeout.isZero() || left.compareTo(Duration.ofMillis(1)) >= 0) ? left : Duration.ofMillis(1));
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

	/**
	 * A request as it goes out and its record in flight.
	 *
	 * @param request the request, with the starter's own progress token where it asked
	 * for progress
	 * @param sent its record in flight
	 */
	record Admitted(JSONRPCRequest request, SentRequest sent) {

	}

}
