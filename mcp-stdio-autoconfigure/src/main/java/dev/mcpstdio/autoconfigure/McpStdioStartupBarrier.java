package dev.mcpstdio.autoconfigure;

import java.util.concurrent.CompletionException;

import dev.mcpstdio.server.McpStdioServers;
import dev.mcpstdio.transport.McpStdioException;

import org.springframework.context.ApplicationListener;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.ContextClosedEvent;

/**
 * Waits, just after the servers were started in parallel, until every eager server is up,
 * and fails the context's start when a required one could not start. Registers the JVM
 * shutdown hook that stops the children when the context is never closed, and tells the
 * registry when a close begins, so the hook then leaves the stop to the context.
 */
class McpStdioStartupBarrier implements SmartLifecycle, ApplicationListener<ContextClosedEvent> {

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
	public void onApplicationEvent(ContextClosedEvent event) {
		this.servers.contextClosing();
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
