package dev.mcpstdio.transport.error;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * A request to a managed MCP server was refused because the server is stopping or was
 * stopped on purpose.
 */
public class McpStdioRefusedException extends McpStdioException {

	public McpStdioRefusedException(String serverName, String message, @Nullable Integer exitCode,
			List<String> stderrTail) {
		super(serverName, message, exitCode, stderrTail);
	}

}
