package dev.mcpstdio.transport.error;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * A request to a managed MCP server was refused because the server is FAILED: its process
 * exited {@code max-restarts} times within {@code window}; it takes a restart to use it
 * again.
 */
public class McpStdioServerFailedException extends McpStdioException {

	public McpStdioServerFailedException(String serverName, String message, @Nullable Integer exitCode,
			List<String> stderrTail) {
		super(serverName, message, exitCode, stderrTail);
	}

}
