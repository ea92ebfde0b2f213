package dev.mcpstdio.autoconfigure;

import dev.mcpstdio.server.McpStdioClientCustomizer;
import io.modelcontextprotocol.client.McpClient;

import org.springframework.ai.mcp.annotation.spring.ClientMcpAsyncHandlersRegistry;
import org.springframework.ai.mcp.annotation.spring.ClientMcpSyncHandlersRegistry;
import org.springframework.beans.factory.ObjectProvider;

/**
 * The {@code @McpSampling}, {@code @McpElicitation}, {@code @McpLogging},
 * {@code @McpProgress} and {@code @Mcp...ListChanged} methods whose {@code clients} name
 * a server, wired into that server's clients with the capabilities they imply, the way
 * Spring AI's client auto-configuration wires them into its own clients: those of
 * {@link ClientMcpSyncHandlersRegistry} into sync clients, those of
 * {@link ClientMcpAsyncHandlersRegistry} (where there is one) into async clients.
 */
final class AnnotatedClientHandlers implements McpStdioClientCustomizer {

	private final ObjectProvider<ClientMcpSyncHandlersRegistry> syncRegistry;

	private final ObjectProvider<ClientMcpAsyncHandlersRegistry> asyncRegistry;

	AnnotatedClientHandlers(ObjectProvider<ClientMcpSyncHandlersRegistry> syncRegistry,
			ObjectProvider<ClientMcpAsyncHandlersRegistry> asyncRegistry) {
		this.syncRegistry = syncRegistry;
		this.asyncRegistry = asyncRegistry;
	}

	@Override
	public void customize(String serverName, McpClient.SyncSpec spec) {
		ClientMcpSyncHandlersRegistry handlers = this.syncRegistry.getIfAvailable();
		if (handlers == null) {
			return;
		}
		spec.sampling((request) -> handlers.handleSampling(serverName, request))
			.elicitation((request) -> handlers.handleElicitation(serverName, request))
			.loggingConsumer((notification) -> handlers.handleLogging(serverName, notification))
			.progressConsumer((notification) -> handlers.handleProgress(serverName, notification))
			.toolsChangeConsumer((tools) -> handlers.handleToolListChanged(serverName, tools))
			.promptsChangeConsumer((prompts) -> handlers.handlePromptListChanged(serverName, prompts))
			.resourcesChangeConsumer((resources) -> handlers.handleResourceListChanged(serverName, resources))
			.capabilities(handlers.getCapabilities(serverName));
	}

	@Override
	public void customize(String serverName, McpClient.AsyncSpec spec) {
		ClientMcpAsyncHandlersRegistry handlers = this.asyncRegistry.getIfAvailable();
		if (handlers == null) {
			return;
		}
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
