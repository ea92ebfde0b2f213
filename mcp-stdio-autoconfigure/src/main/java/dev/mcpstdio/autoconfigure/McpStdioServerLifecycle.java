package dev.mcpstdio.autoconfigure;

import java.util.concurrent.CompletableFuture;

import dev.mcpstdio.server.McpStdioServers;

import org.springframework.context.SmartLifecycle;

/**
 * One managed server in the context's lifecycle: started with the context (in parallel
 * with the others, after those it depends on) and stopped at context close, after every
 * server that depends on it, independent servers concurrently. Its phase is below the web
 * server's, so tool calls of HTTP requests still in flight complete first.
 */
class McpStdioServerLifecycle implements SmartLifecycle {

	/**
	 * Below the web server's graceful shutdown ({@code DEFAULT_PHASE - 1024}) and stop
	 * ({@code - 2048}).
	 */
	static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

	private final String name;

	private final McpStdioServers servers;

	private volatile boolean running;

	McpStdioServerLifecycle(String name, McpStdioServers servers) {
		this.name = name;
		this.servers = servers;
	}

	@Override
	public void start() {
		this.servers.start(this.name);
		this.running = true;
	}

	@Override
	public void stop() {
		stopServer().exceptionally((ex) -> null).join();
		this.running = false;
	}

	@Override
	public void stop(Runnable callback) {
		stopServer().whenComplete((result, ex) -> {
			this.running = false;
			callback.run();
		});
	}

	private CompletableFuture<Void> stopServer() {
		return stop(this.servers, this.name);
	}

	/**
	 * Stops a server, unless it was unregistered or removed by a reload meanwhile.
	 * @param servers the registry
	 * @param name the server's name
	 * @return completes when its process trees are gone
	 */
	static CompletableFuture<Void> stop(McpStdioServers servers, String name) {
		try {
			return servers.stop(name);
		}
		catch (IllegalArgumentException ex) {
			return CompletableFuture.completedFuture(null);
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

	@Override
	public String toString() {
		return "McpStdioServerLifecycle[" + this.name + "]";
	}

}
