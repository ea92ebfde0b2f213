package dev.mcpstdio.server;

import io.modelcontextprotocol.client.McpClient;

/**
 * Customizes each MCP client the registry builds (capabilities, handlers, consumers,
 * roots, timeouts), called with the name of the client's server. The transport stays the
 * starter's. For a keep-alive server, the capabilities and client info set here are also
 * what the starter's own {@code initialize} of each of its processes sends.
 */
@FunctionalInterface
public interface McpStdioClientCustomizer {

	/** Customizes nothing. */
	McpStdioClientCustomizer NONE = (serverName, spec) -> {
	};

	/**
	 * Customizes the client of a server.
	 * @param serverName the server's name
	 * @param spec the client's spec, with the starter's client info and timeouts set
	 */
	void customize(String serverName, McpClient.SyncSpec spec);

}
