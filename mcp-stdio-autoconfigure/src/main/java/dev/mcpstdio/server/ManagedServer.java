package dev.mcpstdio.server;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import io.modelcontextprotocol.client.McpAsyncClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCMessage;

/**
 * What the registry needs of a server beyond its public face.
 */
interface ManagedServer extends McpStdioServer {

	/** The shared client (keep-alive servers only). */
	McpSyncClient client();

	/** The shared async client, over the same process (keep-alive servers only). */
	McpAsyncClient asyncClient();

	/** A session: the shared client, or a process of its own for keep-alive: false. */
	McpStdioSession openSession();

	/**
	 * A channel for a gateway session: a process of its own for keep-alive: false, the
	 * running shared process otherwise.
	 * @param receiver receives the process's messages for the channel; must not throw
	 * @return the channel, its process initialized
	 */
	McpStdioChannel openChannel(Consumer<JSONRPCMessage> receiver);

	/**
	 * Opens a channel on a process of its own launched with the overrides (one caller's
	 * process); only a {@code keep-alive: false} server has one.
	 */
	default McpStdioChannel openChannel(Consumer<JSONRPCMessage> receiver, ProcessOverrides overrides) {
		if (!overrides.isEmpty()) {
			throw new IllegalStateException("MCP server '" + name() + "' has keep-alive: true: its one process"
					+ " cannot take a caller's own env or working directory; set keep-alive: false");
		}
		return openChannel(receiver);
	}

	/**
	 * Starts the server as the context starts: eager keep-alive servers launch and
	 * initialize. Completes when it is up, or exceptionally when a required server could
	 * not start.
	 */
	CompletableFuture<Void> startWithContext();

	/**
	 * Its stop is coming (the context is closing, and servers that depend on it stop
	 * first): a process that exits meanwhile is not restarted. Callers are still served
	 * until the stop itself begins.
	 */
	default void stopComing() {
	}

	/**
	 * The server was unregistered or replaced by a new definition, and is being stopped
	 * for good: calls, sessions and restarts are refused from now on, naming the fix.
	 */
	void retire();

}
