package dev.mcpstdio.server;

import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;

import io.modelcontextprotocol.client.McpSyncClient;

/**
 * A session with a server. For a keep-alive server it shares the server's process and
 * closing it changes nothing; for keep-alive: false it owns a process of its own, which
 * {@link #close()} hands to the stop ladder in the background.
 */
public interface McpStdioSession extends AutoCloseable {

	/** The name of the server. */
	String serverName();

	/** The client of this session, initialized. */
	McpSyncClient client();

	/**
	 * The pid of the session's process: its own for keep-alive: false, the shared one
	 * (empty while none runs) for a keep-alive server.
	 */
	OptionalLong pid();

	/**
	 * Ends the session at once. For keep-alive: false its process refuses new requests
	 * and is stopped, tree and all, in the background; its slot under
	 * {@code max-sessions} is freed once the tree is gone, and a context close waits for
	 * that.
	 */
	@Override
	void close();

	/**
	 * Completes once the session is closed and its own process tree is gone; already
	 * complete for a keep-alive server's session, which owns no process.
	 * @return a future of the session's end
	 */
	default CompletableFuture<Void> whenStopped() {
		return CompletableFuture.completedFuture(null);
	}

}
