package dev.mcpstdio.autoconfigure;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.mcpstdio.server.McpStdioServer;
import dev.mcpstdio.server.McpStdioServers;
import dev.mcpstdio.server.ServerState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.ai.mcp.SyncMcpToolCallbackProvider;
import org.springframework.ai.tool.ToolCallback;
import org.springframework.ai.tool.ToolCallbackProvider;

/**
 * The tools of every keep-alive server for Spring AI, named {@code <server>_<tool>} so
 * two servers' tools of the same name do not clash. A FAILED or stopped server's tools
 * are left out (with a warning) rather than failing the whole list. Each server's list is
 * cached until its client learns that its tools changed.
 */
public final class McpStdioToolCallbackProvider implements ToolCallbackProvider {

	private static final Logger logger = LoggerFactory.getLogger(McpStdioToolCallbackProvider.class);

	/** The longest tool name most model APIs accept. */
	private static final int MAX_TOOL_NAME = 64;

	private final McpStdioServers servers;

	private final Map<String, SyncMcpToolCallbackProvider> providers = new ConcurrentHashMap<>();

	public McpStdioToolCallbackProvider(McpStdioServers servers) {
		this.servers = servers;
		servers.addToolsChangedListener((server, tools) -> {
			SyncMcpToolCallbackProvider provider = this.providers.get(server);
			if (provider != null) {
				provider.invalidateCache();
			}
		});
	}

	@Override
	public ToolCallback[] getToolCallbacks() {
		List<ToolCallback> callbacks = new ArrayList<>();
		for (McpStdioServer server : this.servers.servers()) {
			if (!server.definition().keepAlive() || server.state() == ServerState.FAILED) {
				continue;
			}
			try {
				callbacks.addAll(List.of(provider(server.name()).getToolCallbacks()));
			}
			catch (RuntimeException ex) {
				logger.warn("The tools of MCP server '{}' are left out: {}", server.name(), ex.getMessage());
			}
		}
		return callbacks.toArray(new ToolCallback[0]);
	}

	private SyncMcpToolCallbackProvider provider(String name) {
		return this.providers.computeIfAbsent(name,
				(key) -> SyncMcpToolCallbackProvider.builder()
					.mcpClients(this.servers.client(key))
					.toolNamePrefixGenerator((connection, tool) -> toolName(key, tool.name()))
					.build());
	}

	/**
	 * Forgets the cached tool lists, so the next call lists every server's tools again.
	 */
	public void invalidateCache() {
		this.providers.values().forEach(SyncMcpToolCallbackProvider::invalidateCache);
	}

	static String toolName(String server, String tool) {
		String name = (server + "_" + tool).replaceAll("[^a-zA-Z0-9_-]", "_");
		return (name.length() > MAX_TOOL_NAME) ? name.substring(0, MAX_TOOL_NAME) : name;
	}

}
