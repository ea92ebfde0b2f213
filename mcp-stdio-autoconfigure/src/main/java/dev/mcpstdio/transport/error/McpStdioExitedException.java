package dev.mcpstdio.transport.error;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * A request to a managed MCP server failed because the server's process exited or could
 * not be started; {@link #getExitCode()} and {@link #getStderrTail()} tell why.
 */
public class McpStdioExitedException extends McpStdioException {

	public McpStdioExitedException(String serverName, String message, @Nullable Integer exitCode,
			List<String> stderrTail) {
		super(serverName, message, exitCode, stderrTail);
	}

}
