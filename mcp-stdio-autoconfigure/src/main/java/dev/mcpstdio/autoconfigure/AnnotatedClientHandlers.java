package dev.mcpstdio.autoconfigure;

import dev.mcpstdio.server.McpStdioClientCustomizer;
import io.modelcontextprotocol.client.McpClient;

import org.springframework.ai.mcp.annotation.spring.ClientMcpSyncHandlersRegistry;

/**
 * The {@code @McpSampling}, {@code @McpElicitation}, {@code @McpLogging},
 * {@code @McpProgress} and {@code @Mcp...ListChanged} methods whose {@code clients} name
 * a server, wired into that server's client with the capabilities they imply, the way
 * Spring AI's client auto-configuration wires them into its own clients.
 */
final class AnnotatedClientHandlers implements McpStdioClientCustomizer {

	private final ClientMcpSyncHandlersRegistry registry;

	AnnotatedClientHandlers(ClientMcpSyncHandlersRegistry registry) {
		this.registry = registry;
	}

	@Override
	public void customize(String serverName, McpClient.SyncSpec spec) {
		ClientMcpSyncHandlersRegistry handlers = this.registry;
		spec.sampling((request) -> handlers.handleSampling(serverName, request))
			.elicitation((request) -> handlers.handleElicitation(serverName, request))
			.loggingConsumer((notification) -> handlers.handleLogging(serverName, notification))
			.progressConsumer((notification) -> handlers.handleProgress(serverName, notification))
			.toolsChangeConsumer((tools) -> handlers.handleToolListChanged(serverName, tools))
			.promptsChangeConsumer((prompts) -> handlers.handlePromptListChanged(serverName, prompts))
			.resourcesChangeConsumer((resources) -> handlers.handleResourceListChanged(serverName, resources))
			.capabilities(handlers.getCapabilities(serverName));
	}

}
