package dev.mcpstdio.transport.error;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * A managed MCP server did not answer in time: initialize-timeout, request-timeout or
 * health.ping-timeout passed, or no process was ready within the request's timeout.
 */
public class McpStdioTimeoutException extends McpStdioException {

	public McpStdioTimeoutException(String serverName, String message, @Nullable Integer exitCode,
			List<String> stderrTail) {
		super(serverName, message, exitCode, stderrTail);
	}

}
