package dev.mcpstdio.autoconfigure;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import dev.mcpstdio.process.platform.DaemonThreads;
import dev.mcpstdio.server.McpStdioServers;
import dev.mcpstdio.server.ServerChanges;
import dev.mcpstdio.server.ServerDefinition;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds the configuration again and reconciles the servers with it, one reload at a time,
 * on a thread of its own: a configuration that cannot be read, or whose servers would
 * fail startup's checks, changes nothing and is logged at WARN with the reason and the
 * fix; a reload that applies logs one INFO line saying what changed.
 */
final class McpStdioReloader implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(McpStdioReloader.class);

	private final McpStdioServers servers;

	private final Supplier<List<ServerDefinition>> definitions;

	private final Clock clock;

	private final ScheduledExecutorService executor = Executors
		.newSingleThreadScheduledExecutor((task) -> DaemonThreads.of("mcp-stdio-reload", task));

	/**
	 * Creates the reloader.
	 * @param servers the servers to reconcile
	 * @param definitions binds the configuration again, throwing why it cannot
	 * @param clock times the reloads
	 */
	McpStdioReloader(McpStdioServers servers, Supplier<List<ServerDefinition>> definitions, Clock clock) {
		this.servers = servers;
		this.definitions = definitions;
		this.clock = clock;
	}

	/**
	 * Reloads on the reloader's thread, after the reloads before it; nothing once the
	 * reloader is closed (the context closes).
	 */
	void reloadLater(String source) {
		try {
			this.executor.execute(() -> reload(source));
		}
		catch (RejectedExecutionException ex) {
			logger.debug("MCP servers not reloaded after a change of {}: the application is closing", source);
		}
	}

	/** Runs a task on the reloader's thread after a delay; nothing once it is closed. */
	void schedule(Duration delay, Runnable task) {
		try {
			this.executor.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (RejectedExecutionException ex) {
			logger.debug("MCP servers not reloaded: the application is closing");
		}
	}

	/**
	 * Binds the configuration and reconciles the servers with it, waiting until the
	 * stopped processes are gone and the started servers up.
	 * @param source where the change came from, for the log
	 * @return what changed, or null when nothing could be applied
	 */
	@Nullable ServerChanges reload(String source) {
		long start = this.clock.millis();
		List<ServerDefinition> wanted;
		try {
			wanted = this.definitions.get();
		}
		catch (McpStdioConfigurationException ex) {
			logger.warn("MCP servers not reloaded after a change of {}: {}. {} The running servers stay as they are.",
					source, ex.getMessage(), ex.getAction());
			return null;
		}
		catch (RuntimeException ex) {
			logger.warn("MCP servers not reloaded after a change of {}: {}. The running servers stay as they are.",
					source, ex.getMessage());
			return null;
		}
		logger.debug("MCP servers bound again after a change of {} in {} ms", source, this.clock.millis() - start);
		ServerChanges changes;
		try {
			changes = this.servers.reconcile(wanted).join();
		}
		catch (IllegalArgumentException ex) {
			logger.warn("MCP servers not reloaded after a change of {}: {}. The running servers stay as they are.",
					source, ex.getMessage());
			return null;
		}
		catch (CompletionException ex) {
			logger.warn("MCP servers reloaded after a change of {}, but a server could not start: {}", source,
					(ex.getCause() != null) ? ex.getCause().getMessage() : ex.getMessage());
			return null;
		}
		logger.info("MCP servers reloaded after a change of {} in {} ms: {}", source, this.clock.millis() - start,
				changes.summary());
		return changes;
	}

	@Override
	public void close() {
		this.executor.shutdownNow();
	}

}
