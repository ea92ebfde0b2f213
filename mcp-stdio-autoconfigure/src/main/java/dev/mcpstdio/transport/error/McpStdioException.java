package dev.mcpstdio.transport.error;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * A request to a managed MCP server failed for a reason of the process or the connection:
 * it exited, it was stopped, it could not be written to. Carries the server's name, the
 * exit code where there is one, and the last lines of its stderr.
 */
public class McpStdioException extends RuntimeException {

	private final String serverName;

	private final @Nullable Integer exitCode;

	private final List<String> stderrTail;

	public McpStdioException(String serverName, String message, @Nullable Integer exitCode, List<String> stderrTail) {
		super(message);
		this.serverName = serverName;
		this.exitCode = exitCode;
		this.stderrTail = List.copyOf(stderrTail);
	}

	public McpStdioException(String serverName, String message, @Nullable Throwable cause) {
		super(message, cause);
		this.serverName = serverName;
		this.exitCode = null;
		this.stderrTail = List.of();
	}

	/** The message, which always names the server. */
	@Override
	public String getMessage() {
		String message = super.getMessage();
		return (message != null) ? message : "MCP server '" + this.serverName + "' failed";
	}

	public String getServerName() {
		return this.serverName;
	}

	/** The child's exit code, if it had exited. */
	public @Nullable Integer getExitCode() {
		return this.exitCode;
	}

	/** The last lines the child wrote to stderr, secrets redacted. */
	public List<String> getStderrTail() {
		return this.stderrTail;
	}

	/**
	 * Appends the stderr tail to a message.
	 * @param message the message
	 * @param tail the last stderr lines
	 * @return the message with the lines, one per line
	 */
	public static String withTail(String message, List<String> tail) {
		if (tail.isEmpty()) {
			return message + " (nothing on stderr)";
		}
		StringBuilder text = new StringBuilder(message).append("; last stderr lines:");
		for (String line : tail) {
			text.append("\n  ").append(line);
		}
		return text.toString();
	}

}
