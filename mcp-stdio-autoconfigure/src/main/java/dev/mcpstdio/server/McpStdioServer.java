package dev.mcpstdio.server;

import java.util.OptionalLong;

/**
 * One managed MCP server.
 */
public interface McpStdioServer {

	/** The server's name, as configured. */
	String name();

	/** Its current state. */
	ServerState state();

	/** The pid of its process, while one runs (a keep-alive server). */
	OptionalLong pid();

	/** A snapshot of its state and figures. */
	ServerStatus status();

	/** Its configuration. */
	ServerDefinition definition();

	/**
	 * How many requests wait for their turn under {@code max-concurrent-requests}: at a
	 * keep-alive server's shared process, or at all its sessions' processes (each session
	 * has a cap of its own).
	 */
	default int waitingRequests() {
		return 0;
	}

	/**
	 * Stops the server's process (or, for keep-alive: false, every session's) and starts
	 * it again, also from FAILED; the restart window starts anew.
	 */
	void restart();

	/** Stops the server through the ladder; it stays stopped until restarted. */
	void stop();

}
