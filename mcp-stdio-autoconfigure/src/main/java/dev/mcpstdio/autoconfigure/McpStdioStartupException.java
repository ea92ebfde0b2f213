package dev.mcpstdio.autoconfigure;

import dev.mcpstdio.transport.error.McpStdioException;

/**
 * A required server could not start with the application.
 */
public class McpStdioStartupException extends RuntimeException {

	private final String serverName;

	public McpStdioStartupException(McpStdioException cause) {
		super(cause.getMessage(), cause);
		this.serverName = cause.getServerName();
	}

	public String getServerName() {
		return this.serverName;
	}

}
