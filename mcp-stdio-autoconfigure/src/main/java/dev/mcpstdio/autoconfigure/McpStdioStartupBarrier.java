package dev.mcpstdio.autoconfigure;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import dev.mcpstdio.server.McpStdioServers;
import dev.mcpstdio.transport.error.McpStdioException;

import org.springframework.context.ApplicationListener;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.ContextClosedEvent;

/**
 * Waits, just after the servers were started in parallel, until every eager server is up,
 * and fails the context's start when a required one could not start. Registers the JVM
 * shutdown hook that stops the children when the context is never closed, and tells the
 * registry when a close begins, so the hook then leaves the stop to the context. At
 * close, it stops the servers that have no lifecycle bean of their own (registered, or
 * added by a reload, while the application ran), so they too stop in the context's
 * lifecycle phase, dependents first.
 */
class McpStdioStartupBarrier implements SmartLifecycle, ApplicationListener<ContextClosedEvent> {

	private final McpStdioServers servers;

	/** The servers with a lifecycle bean of their own. */
	private final List<String> configured;

	private volatile boolean running;

	McpStdioStartupBarrier(McpStdioServers servers, List<String> configured) {
		this.servers = servers;
		this.configured = List.copyOf(configured);
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
		stopUnconfigured().exceptionally((ex) -> null).join();
		this.running = false;
	}

	@Override
	public void stop(Runnable callback) {
		stopUnconfigured().whenComplete((result, ex) -> {
			this.running = false;
			callback.run();
		});
	}

	private CompletableFuture<Void> stopUnconfigured() {
		return CompletableFuture.allOf(this.servers.names()
			.stream()
			.filter((name) -> !this.configured.contains(name))
			.map((name) -> McpStdioServerLifecycle.stop(this.servers, name).exceptionally((ex) -> null))
			.toArray(CompletableFuture[]::new));
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
