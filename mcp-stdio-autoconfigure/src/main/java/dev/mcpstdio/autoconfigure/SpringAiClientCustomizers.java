package dev.mcpstdio.autoconfigure;

import dev.mcpstdio.server.McpStdioClientCustomizer;
import io.modelcontextprotocol.client.McpClient;

import org.springframework.ai.mcp.customizer.McpClientCustomizer;
import org.springframework.beans.factory.ObjectProvider;

/**
 * Spring AI's {@link McpClientCustomizer} beans, in their order, applied to every client
 * the starter builds (the {@code SyncSpec} ones to sync clients, the {@code AsyncSpec}
 * ones to async clients), each called with the name of its server, as Spring AI's own
 * client auto-configuration calls them with a connection's name.
 */
final class SpringAiClientCustomizers implements McpStdioClientCustomizer {

	private final ObjectProvider<McpClientCustomizer<McpClient.SyncSpec>> syncCustomizers;

	private final ObjectProvider<McpClientCustomizer<McpClient.AsyncSpec>> asyncCustomizers;

	SpringAiClientCustomizers(ObjectProvider<McpClientCustomizer<McpClient.SyncSpec>> syncCustomizers,
			ObjectProvider<McpClientCustomizer<McpClient.AsyncSpec>> asyncCustomizers) {
		this.syncCustomizers = syncCustomizers;
		this.asyncCustomizers = asyncCustomizers;
	}

	@Override
	public void customize(String serverName, McpClient.SyncSpec spec) {
		this.syncCustomizers.orderedStream().forEach((customizer) -> customizer.customize(serverName, spec));
	}

	@Override
	public void customize(String serverName, McpClient.AsyncSpec spec) {
		this.asyncCustomizers.orderedStream().forEach((customizer) -> customizer.customize(serverName, spec));
	}

}
