package dev.mcpstdio.server;

import java.time.Duration;
import java.util.List;

import dev.mcpstdio.transport.ManagedStdioTransport;
import dev.mcpstdio.transport.error.McpStdioException;
import dev.mcpstdio.transport.error.McpStdioExitedException;
import dev.mcpstdio.transport.error.McpStdioRefusedException;
import dev.mcpstdio.transport.error.McpStdioServerFailedException;
import dev.mcpstdio.transport.error.McpStdioTimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * The exceptions a server's callers see, each of a type they can tell apart, each naming
 * the server in its own message.
 */
final class ServerErrors {

	private final String name;

	/** Whether the server was unregistered or replaced: stopped for good. */
	private volatile boolean retired;

	ServerErrors(String name) {
		this.name = name;
	}

	/** The server was unregistered or replaced: its refusals say so from now on. */
	void retire() {
		this.retired = true;
	}

	boolean isRetired() {
		return this.retired;
	}

	/**
	 * What is refused on a server that was unregistered or replaced (the client or server
	 * object of the one before a reload).
	 * @param what what was refused, such as {@code request 'tools/call' refused}
	 */
	McpStdioRefusedException retired(String what) {
		return new McpStdioRefusedException(this.name,
				"MCP server '" + this.name + "' was unregistered or replaced by a new definition while the"
						+ " application ran: " + what + ". Get the server, its client or a session again from"
						+ " McpStdioServers (client(\"" + this.name + "\"), openSession(\"" + this.name + "\"))",
				null, List.of());
	}

	/** The server is FAILED: calls fail at once until it is restarted. */
	McpStdioServerFailedException failed(int restarts, LastExit last, @Nullable McpStdioException why) {
		String cause = (last.error() != null) ? last.error() : (why != null) ? why.getMessage() : "unknown";
		return new McpStdioServerFailedException(this.name,
				"MCP server '" + this.name + "' is FAILED (" + restarts
						+ " restarts). Fix the cause and restart it; last error: " + cause,
				last.exitCode(), last.stderrTail());
	}

	/**
	 * Why a request cannot wait for a process: the server is FAILED, stopping, or stopped
	 * for good ({@code stopped}: on purpose, or its stop is coming).
	 * @return the exception, or null when the request may wait
	 */
	@Nullable McpStdioException refusal(ServerState state, boolean stopped, String method, int restarts, LastExit last) {
		if (state == ServerState.FAILED) {
			return failed(restarts, last, null);
		}
		if (this.retired && (state == ServerState.STOPPING || state == ServerState.STOPPED)) {
			return retired("request '" + method + "' refused");
		}
		if (state == ServerState.STOPPING || (state == ServerState.STOPPED && stopped)) {
			String why = (state == ServerState.STOPPING) ? "' is stopping: request '" + method + "' refused"
					: "' is stopped: request '" + method + "' refused; restart it to use it again";
			return new McpStdioRefusedException(this.name, "MCP server '" + this.name + why, last.exitCode(),
					List.of());
		}
		return null;
	}

	/** The next start of a server backing off comes after the request's timeout. */
	McpStdioRefusedException backingOff(String method, Duration timeout, Duration nextStartIn, LastExit last) {
		return new McpStdioRefusedException(this.name,
				McpStdioException.withTail(
						"MCP server '" + this.name + "' is backing off after it exited"
								+ ((last.exitCode() != null) ? " with code " + last.exitCode() : "")
								+ ": its next start is in " + nextStartIn.toMillis() + " ms, after the "
								+ timeout.toMillis() + " ms request '" + method + "' may wait, so it is refused now",
						last.stderrTail()),
				last.exitCode(), last.stderrTail());
	}

	/** What waiters are told when the server is stopped on purpose. */
	McpStdioRefusedException stopped(LastExit last) {
		return new McpStdioRefusedException(this.name, "MCP server '" + this.name + "' was stopped", last.exitCode(),
				List.of());
	}

	/** No process was ready within the request's timeout. */
	McpStdioTimeoutException notReady(Duration timeout, String method, ServerState state, LastExit last) {
		return new McpStdioTimeoutException(this.name, "MCP server '" + this.name + "' was not ready within " + timeout
				+ " for request '" + method + "' (state " + state + ")", last.exitCode(), last.stderrTail());
	}

	/** A request of the server's own that was not answered in time. */
	McpStdioTimeoutException unanswered(String method, String timeoutProperty, Duration timeout,
			ManagedStdioTransport transport) {
		List<String> stderrTail = transport.stderrTail();
		return new McpStdioTimeoutException(
				this.name, McpStdioException.withTail("MCP server '" + this.name + "' did not answer '" + method
						+ "' within " + timeoutProperty + " " + timeout + notJsonRpc(transport), stderrTail),
				null, stderrTail);
	}

	/**
	 * What the process wrote to stdout that is not JSON-RPC, the likely reason it was not
	 * understood; empty when it wrote none.
	 */
	static String notJsonRpc(ManagedStdioTransport transport) {
		long count = transport.invalidLineCount();
		if (count == 0) {
			return "";
		}
		StringBuilder text = new StringBuilder("; it wrote ").append(count)
			.append((count == 1) ? " line" : " lines")
			.append(" to stdout that ")
			.append((count == 1) ? "is" : "are")
			.append(" not JSON-RPC (an MCP server must write only JSON-RPC messages to stdout and log to stderr),"
					+ " first:");
		transport.firstInvalidLines().forEach((line) -> text.append("\n  ").append(line));
		return text.toString();
	}

	/** Why a process could not be started and initialized. */
	McpStdioException startFailure(ManagedStdioTransport transport, RuntimeException ex) {
		if (ex instanceof McpStdioException stdio) {
			return stdio;
		}
		McpStdioException terminal = transport.terminalError();
		if (terminal != null) {
			return terminal;
		}
		return new McpStdioException(this.name, "MCP server '" + this.name + "' could not start: " + ex.getMessage(),
				ex);
	}

	/** The running process exited on its own. */
	McpStdioException exited(ManagedStdioTransport transport) {
		McpStdioException terminal = transport.terminalError();
		return (terminal != null) ? terminal
				: new McpStdioExitedException(this.name, "MCP server '" + this.name + "' exited",
						transport.exitCode().isPresent() ? transport.exitCode().getAsInt() : null,
						transport.stderrTail());
	}

}
