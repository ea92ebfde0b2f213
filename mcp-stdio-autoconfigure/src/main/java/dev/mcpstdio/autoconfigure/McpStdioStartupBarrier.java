package dev.mcpstdio.autoconfigure;

import java.util.concurrent.CompletionException;

import dev.mcpstdio.server.McpStdioServers;
import dev.mcpstdio.transport.McpStdioException;

import org.springframework.context.SmartLifecycle;

/**
 * Waits, just after the servers were started in parallel, until every eager server is
 * up, and fails the context's start when a required one could not start. Registers the
 * JVM shutdown hook that stops the children when the context is never closed.
 */
class McpStdioStartupBarrier implements SmartLifecycle {

	private final McpStdioServers servers;

	private volatile boolean running;

	McpStdioStartupBarrier(McpStdioServers servers) {
		this.servers = servers;
	}

	@Override
	public void start() {
		this.servers.registerShutdownHook();
		try {
			this.servers.startAll().join();
		}
		catch (CompletionException ex) {
			if (ex.getCause() instanceof McpStdioException failure) {
				throw new McpStdioStartupException(failure);
			}
			throw ex;
		}
		this.running = true;
	}

	@Override
	public void stop() {
		this.running = false;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return McpStdioServerLifecycle.PHASE + 1;
	}

}
