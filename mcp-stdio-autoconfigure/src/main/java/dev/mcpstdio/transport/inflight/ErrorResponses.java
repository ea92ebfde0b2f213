package dev.mcpstdio.transport.inflight;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.mcpstdio.transport.error.McpStdioException;
import dev.mcpstdio.transport.error.McpStdioExitedException;
import dev.mcpstdio.transport.error.McpStdioRefusedException;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCResponse;
import org.jspecify.annotations.Nullable;

/**
 * The JSON-RPC error responses a connection gives in place of the server's, for a request
 * that timed out or was in flight when the connection ended: each names the server, the
 * method and why, with the stderr tail, in its message and its data.
 */
public final class ErrorResponses {

	private final String name;

	public ErrorResponses(String name) {
		this.name = name;
	}

	/** The request was not answered within its timeout. */
	JSONRPCResponse timedOut(InFlightRequest request, Duration timeout, List<String> stderrTail) {
		String limit = timeoutName(request, timeout);
		String message = McpStdioException.withTail(
				"MCP server '" + this.name + "' did not answer " + request.describe() + " within " + limit, stderrTail);
		return error(request, message, Map.of("server", this.name, "timeout", limit.substring(limit.indexOf(' ') + 1)));
	}

	/** The request's caller gave up on it, and the server was told to cancel it. */
	JSONRPCResponse cancelled(InFlightRequest request, String reason) {
		String message = "MCP server '" + this.name + "': " + request.describe() + " was cancelled, as " + reason
				+ "; the server was sent notifications/cancelled";
		return error(request, message, Map.of("server", this.name, "reason", reason));
	}

	/**
	 * What set a request's timeout: {@code request-timeout PT30S}, a tool's own
	 * ({@code tools.request-timeouts.slow PT2M}), or the cap its progress reached
	 * ({@code max-request-timeout PT10M}).
	 */
	static String timeoutName(InFlightRequest request, Duration requestTimeout) {
		RequestLimits limits = request.sent().limits();
		if (request.capped() && limits.capName() != null) {
			return limits.capName();
		}
		return (limits.timeoutName() != null) ? limits.timeoutName() : "request-timeout " + requestTimeout;
	}

	/** The connection ended (exited, stopped) with the request in flight. */
	public JSONRPCResponse ended(InFlightRequest request, String what, int exitCode, List<String> stderrTail) {
		String message = McpStdioException.withTail(
				"MCP server '" + this.name + "' " + what + " while " + request.describe() + " was in flight",
				stderrTail);
		Map<String, Object> data = new LinkedHashMap<>();
		data.put("server", this.name);
		data.put("exitCode", exitCode);
		data.put("stderrTail", stderrTail);
		return error(request, message, data);
	}

	private static JSONRPCResponse error(InFlightRequest request, String message, Map<String, ?> data) {
		return JSONRPCResponse.error(request.id(),
				new JSONRPCResponse.JSONRPCError(McpSchema.ErrorCodes.INTERNAL_ERROR, message, data));
	}

	/**
	 * A request as errors name it: {@code request 'ping'}, or
	 * {@code request 'tools/call' of tool 'slow'}.
	 */
	public static String describe(String method, @Nullable String tool) {
		return (tool != null) ? "request '" + method + "' of tool '" + tool + "'" : "request '" + method + "'";
	}

	/**
	 * The reason a connection ended, again, for one more caller: a new exception of the
	 * same type, so that callers never share (and add to) one instance.
	 */
	public static McpStdioException again(McpStdioException terminal) {
		String name = terminal.getServerName();
		if (terminal instanceof McpStdioExitedException) {
			return new McpStdioExitedException(name, terminal.getMessage(), terminal.getExitCode(),
					terminal.getStderrTail());
		}
		if (terminal instanceof McpStdioRefusedException) {
			return new McpStdioRefusedException(name, terminal.getMessage(), terminal.getExitCode(),
					terminal.getStderrTail());
		}
		return new McpStdioException(name, terminal.getMessage(), terminal.getExitCode(), terminal.getStderrTail());
	}

}
