package dev.mcpstdio.server;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCMessage;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCResponse;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lists the tools of each new process of a keep-alive server, for the tool count of its
 * health, and tells the shared client ({@code notifications/tools/list_changed}) when a
 * restart brought other tools than the process before.
 */
final class ToolListWatcher {

	private static final Logger logger = LoggerFactory.getLogger(ToolListWatcher.class);

	private final String name;

	private final Handshake handshake;

	private final Executor workers;

	private final Duration requestTimeout;

	private final Consumer<JSONRPCMessage> toClient;

	private final BooleanSupplier clientInitialized;

	private volatile @Nullable Integer toolCount;

	private volatile @Nullable List<?> tools;

	ToolListWatcher(String name, Handshake handshake, Executor workers, Duration requestTimeout,
			Consumer<JSONRPCMessage> toClient, BooleanSupplier clientInitialized) {
		this.name = name;
		this.handshake = handshake;
		this.workers = workers;
		this.requestTimeout = requestTimeout;
		this.toClient = toClient;
		this.clientInitialized = clientInitialized;
	}

	/**
	 * Lists the tools of a process that just started, in the background.
	 * @param generation the process
	 * @param listed told the tool count once it is known (null when listing failed)
	 */
	void list(Generation generation, Consumer<@Nullable Integer> listed) {
		if (!generation.offersTools()) {
			this.toolCount = 0;
			listed.accept(0);
			return;
		}
		this.workers.execute(() -> {
			Integer count = null;
			try {
				JSONRPCResponse response = this.handshake.request(generation.transport(), McpSchema.METHOD_TOOLS_LIST,
						Map.of(), this.requestTimeout, "request-timeout");
				if (response.result() instanceof Map<?, ?> result && result.get("tools") instanceof List<?> tools) {
					listed(tools);
					count = tools.size();
				}
			}
			catch (RuntimeException ex) {
				logger.debug("MCP server '{}': could not list its tools: {}", this.name, ex.getMessage());
			}
			if (count == null) {
				this.toolCount = null; // not the count of the process before
			}
			listed.accept(count);
		});
	}

	private void listed(List<?> listed) {
		this.toolCount = listed.size();
		List<?> before = this.tools;
		this.tools = listed;
		if (before != null && !before.equals(listed) && this.clientInitialized.getAsBoolean()) {
			logger.info("MCP server '{}' offers other tools since its restart: telling its client", this.name);
			this.toClient.accept(new McpSchema.JSONRPCNotification(McpSchema.JSONRPC_VERSION,
					McpSchema.METHOD_NOTIFICATION_TOOLS_LIST_CHANGED, null));
		}
	}

	/** How many tools the last process listed, once it did. */
	@Nullable Integer toolCount() {
		return this.toolCount;
	}

}
