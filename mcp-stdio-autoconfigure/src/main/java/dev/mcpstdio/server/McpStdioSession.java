package dev.mcpstdio.server;

import java.util.OptionalLong;

import io.modelcontextprotocol.client.McpSyncClient;

/**
 * A session with a server. For a keep-alive server it shares the server's process and
 * closing it changes nothing; for keep-alive: false it owns a process of its own, and
 * {@link #close()} returns when that process tree is gone.
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
	 * Ends the session; for keep-alive: false, stops its process tree before returning.
	 */
	@Override
	void close();

}
