package dev.mcpstdio.autoconfigure;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.mcpstdio.server.McpStdioServer;
import dev.mcpstdio.server.McpStdioServers;
import dev.mcpstdio.server.McpStdioSession;
import dev.mcpstdio.server.ServerState;
import io.modelcontextprotocol.client.McpSyncClient;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.ai.mcp.McpConnectionInfo;
import org.springframework.ai.mcp.McpToolFilter;
import org.springframework.ai.mcp.McpToolNamePrefixGenerator;
import org.springframework.ai.mcp.SyncMcpToolCallbackProvider;
import org.springframework.ai.mcp.ToolContextToMcpMetaConverter;
import org.springframework.ai.tool.ToolCallback;
import org.springframework.ai.tool.ToolCallbackProvider;

/**
 * The tools of every server for Spring AI, as Spring AI's
 * {@link SyncMcpToolCallbackProvider} offers them: filtered by an {@link McpToolFilter},
 * named by an {@link McpToolNamePrefixGenerator} (by default {@code <server>_<tool>}, so
 * that two servers' tools of the same name do not clash), the tool context passed on as
 * MCP {@code _meta} by a {@link ToolContextToMcpMetaConverter}. A keep-alive server's
 * tools call its shared client; a {@code keep-alive: false} server's tools open a session
 * for each call. A FAILED or stopped server's tools are left out (with a warning) rather
 * than failing the whole list. Each server's list is cached until its client learns that
 * its tools changed.
 */
public final class McpStdioToolCallbackProvider implements ToolCallbackProvider {

	private static final Logger logger = LoggerFactory.getLogger(McpStdioToolCallbackProvider.class);

	/** The longest tool name most model APIs accept. */
	private static final int MAX_TOOL_NAME = 64;

	private final McpStdioServers servers;

	private final McpToolFilter filter;

	private final @Nullable McpToolNamePrefixGenerator names;

	private final ToolContextToMcpMetaConverter metaConverter;

	private final Map<String, SyncMcpToolCallbackProvider> providers = new ConcurrentHashMap<>();

	private final Map<String, List<ToolCallback>> sessionTools = new ConcurrentHashMap<>();

	/**
	 * The tools of every server, unfiltered, named {@code <server>_<tool>}.
	 * @param servers the servers
	 */
	public McpStdioToolCallbackProvider(McpStdioServers servers) {
		this(servers, (connection, tool) -> true, null, ToolContextToMcpMetaConverter.defaultConverter());
	}

	/**
	 * The tools of every server, shaped as Spring AI's client shapes its own.
	 * @param servers the servers
	 * @param filter which tools are offered
	 * @param names how they are named, or {@code null} for {@code <server>_<tool>}; the
	 * server's name is the {@code title} of the connection's client info
	 * @param metaConverter what of the tool context goes to the server as {@code _meta}
	 */
	public McpStdioToolCallbackProvider(McpStdioServers servers, McpToolFilter filter,
			@Nullable McpToolNamePrefixGenerator names, ToolContextToMcpMetaConverter metaConverter) {
		this.servers = servers;
		this.filter = filter;
		this.names = names;
		this.metaConverter = metaConverter;
		// a server registered or unregistered at run time: nothing of an earlier one of
		// its name is kept
		servers.addServersChangedListener((added, removed) -> {
			added.forEach((server) -> forget(server.name()));
			removed.forEach((server) -> forget(server.name()));
		});
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
			if (server.state() == ServerState.FAILED) {
				continue;
			}
			try {
				callbacks.addAll(server.definition().keepAlive() ? List.of(provider(server.name()).getToolCallbacks())
						: this.sessionTools.computeIfAbsent(server.name(), this::listInASession));
			}
			catch (RuntimeException ex) {
				logger.warn("The tools of MCP server '{}' are left out: {}", server.name(), ex.getMessage());
			}
		}
		return callbacks.toArray(new ToolCallback[0]);
	}

	private void forget(String server) {
		this.providers.remove(server);
		this.sessionTools.remove(server);
	}

	private SyncMcpToolCallbackProvider provider(String name) {
		return this.providers.computeIfAbsent(name,
				(key) -> SyncMcpToolCallbackProvider.builder()
					.mcpClients(this.servers.client(key))
					.toolFilter(this.filter)
					.toolNamePrefixGenerator(namesFor(key))
					.toolContextToMcpMetaConverter(this.metaConverter)
					.build());
	}

	/** The tools of a keep-alive: false server, listed in a session of their own. */
	private List<ToolCallback> listInASession(String server) {
		try (McpStdioSession session = this.servers.openSession(server)) {
			McpSyncClient client = session.client();
			McpConnectionInfo connection = McpConnectionInfo.builder()
				.clientCapabilities(client.getClientCapabilities())
				.clientInfo(client.getClientInfo())
				.initializeResult(client.getCurrentInitializationResult())
				.build();
			McpToolNamePrefixGenerator generator = namesFor(server);
			return client.listTools()
				.tools()
				.stream()
				.filter((tool) -> this.filter.test(connection, tool))
				.<ToolCallback>map((tool) -> new SessionToolCallback(this.servers, server, tool,
						generator.prefixedToolName(connection, tool), this.metaConverter, client))
				.toList();
		}
	}

	private McpToolNamePrefixGenerator namesFor(String server) {
		return (this.names != null) ? this.names : (connection, tool) -> toolName(server, tool.name());
	}

	/**
	 * Forgets the cached tool lists, so the next call lists every server's tools again.
	 */
	public void invalidateCache() {
		this.providers.values().forEach(SyncMcpToolCallbackProvider::invalidateCache);
		this.sessionTools.clear();
	}

	static String toolName(String server, String tool) {
		String name = (server + "_" + tool).replaceAll("[^a-zA-Z0-9_-]", "_");
		return (name.length() > MAX_TOOL_NAME) ? name.substring(0, MAX_TOOL_NAME) : name;
	}

}
