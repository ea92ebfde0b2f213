package dev.mcpstdio.server;

import io.modelcontextprotocol.client.McpClient;

/**
 * Customizes each MCP client the registry builds (capabilities, handlers, consumers,
 * roots, timeouts), called with the name of the client's server. The transport stays the
 * starter's. For a keep-alive server, the capabilities and client info set on its sync
 * client are also what the starter's own {@code initialize} of each of its processes
 * sends.
 */
public interface McpStdioClientCustomizer {

	/** Customizes nothing. */
	McpStdioClientCustomizer NONE = new McpStdioClientCustomizer() {
	};

	/**
	 * Customizes a sync client of a server.
	 * @param serverName the server's name
	 * @param spec the client's spec, with the starter's client info and timeouts set
	 */
	default void customize(String serverName, McpClient.SyncSpec spec) {
	}

	/**
	 * Customizes the async client of a keep-alive server.
	 * @param serverName the server's name
	 * @param spec the client's spec, with the starter's client info and timeouts set
	 */
	default void customize(String serverName, McpClient.AsyncSpec spec) {
	}

}
