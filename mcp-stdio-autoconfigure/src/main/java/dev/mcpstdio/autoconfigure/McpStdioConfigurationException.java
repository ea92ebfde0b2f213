package dev.mcpstdio.autoconfigure;

import org.jspecify.annotations.Nullable;

/**
 * The configuration of a managed server is wrong. Carries the server, the property, a
 * description of the problem and the action that fixes it, for the failure analyzer.
 */
public class McpStdioConfigurationException extends RuntimeException {

	private final @Nullable String serverName;

	private final String property;

	private final String action;

	public McpStdioConfigurationException(@Nullable String serverName, String property, String description,
			String action) {
		this(serverName, property, description, action, null);
	}

	public McpStdioConfigurationException(@Nullable String serverName, String property, String description,
			String action, @Nullable Throwable cause) {
		super(description, cause);
		this.serverName = serverName;
		this.property = property;
		this.action = action;
	}

	/** The server whose configuration is wrong, if it is one server's. */
	public @Nullable String getServerName() {
		return this.serverName;
	}

	/** The property to fix. */
	public String getProperty() {
		return this.property;
	}

	/** What to do. */
	public String getAction() {
		return this.action;
	}

}
