package dev.mcpstdio.autoconfigure;

import dev.mcpstdio.server.McpStdioServers;
import dev.mcpstdio.server.McpStdioSession;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import org.jspecify.annotations.Nullable;

import org.springframework.ai.chat.model.ToolContext;
import org.springframework.ai.mcp.SyncMcpToolCallback;
import org.springframework.ai.mcp.ToolContextToMcpMetaConverter;
import org.springframework.ai.tool.ToolCallback;
import org.springframework.ai.tool.definition.ToolDefinition;

/**
 * A tool of a server with {@code keep-alive: false}: each call runs in a session of its
 * own, with a process of its own, closed when the call returns. The call itself is Spring
 * AI's {@link SyncMcpToolCallback}'s.
 */
final class SessionToolCallback implements ToolCallback {

	private final McpStdioServers servers;

	private final String server;

	private final McpSchema.Tool tool;

	private final String name;

	private final ToolContextToMcpMetaConverter metaConverter;

	private final ToolDefinition definition;

	SessionToolCallback(McpStdioServers servers, String server, McpSchema.Tool tool, String name,
			ToolContextToMcpMetaConverter metaConverter, McpSyncClient listingClient) {
		this.servers = servers;
		this.server = server;
		this.tool = tool;
		this.name = name;
		this.metaConverter = metaConverter;
		this.definition = callback(listingClient).getToolDefinition();
	}

	@Override
	public ToolDefinition getToolDefinition() {
		return this.definition;
	}

	@Override
	public String call(String toolInput) {
		return call(toolInput, null);
	}

	@Override
	public String call(String toolInput, @Nullable ToolContext toolContext) {
		try (McpStdioSession session = this.servers.openSession(this.server)) {
			return callback(session.client()).call(toolInput, toolContext);
		}
	}

	private SyncMcpToolCallback callback(McpSyncClient client) {
		return SyncMcpToolCallback.builder()
			.mcpClient(client)
			.tool(this.tool)
			.prefixedToolName(this.name)
			.toolContextToMcpMetaConverter(this.metaConverter)
			.build();
	}

}
