package dev.mcpstdio.autoconfigure;

import dev.mcpstdio.server.McpStdioClientCustomizer;
import io.modelcontextprotocol.client.McpClient;

import org.springframework.ai.mcp.customizer.McpClientCustomizer;
import org.springframework.beans.factory.ObjectProvider;

/**
 * Spring AI's {@link McpClientCustomizer} beans, in their order, applied to every client
 * the starter builds, each called with the name of its server, as Spring AI's own client
 * auto-configuration calls them with a connection's name.
 */
final class SpringAiClientCustomizers implements McpStdioClientCustomizer {

	private final ObjectProvider<McpClientCustomizer<McpClient.SyncSpec>> customizers;

	SpringAiClientCustomizers(ObjectProvider<McpClientCustomizer<McpClient.SyncSpec>> customizers) {
		this.customizers = customizers;
	}

	@Override
	public void customize(String serverName, McpClient.SyncSpec spec) {
		this.customizers.orderedStream().forEach((customizer) -> customizer.customize(serverName, spec));
	}

}
