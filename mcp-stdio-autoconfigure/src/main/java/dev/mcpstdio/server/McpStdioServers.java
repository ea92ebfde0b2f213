package dev.mcpstdio.server;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

import dev.mcpstdio.process.ProcessLauncher;
import dev.mcpstdio.transport.RequestObserver;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;

/**
 * The managed servers of an application, by name: their clients and sessions, and the
 * start and stop of all of them in dependency order.
 */
public final class McpStdioServers implements AutoCloseable {

	/** How long the shutdown hook waits for a context close to begin. */
	private static final Duration HOOK_GRACE = Duration.ofSeconds(1);

	/** How long the shutdown hook waits for a context close under way to end. */
	private static final Duration HOOK_CLOSE_WAIT = Duration.ofMinutes(2);

	private final Map<String, ManagedServer> servers = new LinkedHashMap<>();

	private final ServerGraph graph;

	private final ServerRuntime runtime;

	private final Object lifecycle = new Object();

	private final Map<String, CompletableFuture<Void>> starts = new HashMap<>();

	private final Map<String, CompletableFuture<Void>> stops = new HashMap<>();

	private final Thread shutdownHook = new Thread(this::jvmShutdown, "mcp-stdio-shutdown");

	/** Counted down when a context close begins, or the registry closes. */
	private final CountDownLatch closing = new CountDownLatch(1);

	/** Counted down when the registry has closed. */
	private final CountDownLatch closed = new CountDownLatch(1);

	private volatile boolean hookRegistered;

	/**
	 * Creates the registry; nothing is launched until the servers are started.
	 * @param definitions the servers, in declaration order
	 * @param launcher launches their processes
	 * @param jsonMapper maps JSON-RPC messages
	 * @param clock the time of backoffs, idle timeouts and uptimes
	 */
	public McpStdioServers(List<ServerDefinition> definitions, ProcessLauncher launcher, McpJsonMapper jsonMapper,
			Clock clock) {
		this.runtime = new ServerRuntime(launcher, jsonMapper, clock);
		Map<String, List<String>> dependsOn = new LinkedHashMap<>();
		for (ServerDefinition definition : definitions) {
			if (this.servers.containsKey(definition.name())) {
				throw new IllegalArgumentException("MCP server '" + definition.name() + "' is defined twice");
			}
			this.servers.put(definition.name(), definition.keepAlive() ? new KeepAliveServer(definition, this.runtime)
					: new PerSessionServer(definition, this.runtime));
			dependsOn.put(definition.name(), definition.dependsOn());
		}
		this.graph = new ServerGraph(dependsOn);
		this.graph.unknownDependencies().forEach((name, unknown) -> {
			throw new IllegalArgumentException("MCP server '" + name + "' depends on '" + unknown
					+ "', which is not a configured server (configured: " + names() + ")");
		});
		this.graph.cycle().ifPresent((cycle) -> {
			throw new IllegalArgumentException("MCP servers depend on each other in a cycle: " + cycle);
		});
	}

	/**
	 * The shared client of a keep-alive server. It may be used at once: before the server
	 * is up, calls wait for it.
	 * @param name the server's name
	 * @return its client
	 * @throws IllegalArgumentException if no server has that name
	 * @throws IllegalStateException if the server has {@code keep-alive: false}
	 */
	public McpSyncClient client(String name) {
		return managed(name).client();
	}

	/**
	 * Opens a session with a server: for keep-alive, over the shared client; for
	 * {@code keep-alive: false}, with a process of its own that its {@code close()}
	 * stops.
	 * @param name the server's name
	 * @return an initialized session, to close when done
	 * @throws IllegalArgumentException if no server has that name
	 */
	public McpStdioSession openSession(String name) {
		return managed(name).openSession();
	}

	/**
	 * One server.
	 * @param name the server's name
	 * @return the server
	 * @throws IllegalArgumentException if no server has that name
	 */
	public McpStdioServer server(String name) {
		return managed(name);
	}

	/** The names of the servers, in declaration order. */
	public List<String> names() {
		return List.copyOf(this.servers.keySet());
	}

	/** Every server, in declaration order. */
	public List<McpStdioServer> servers() {
		return List.copyOf(this.servers.values());
	}

	/**
	 * Starts a server with the context, after the servers it depends on.
	 * @param name the server's name
	 * @return completes when it is up, or exceptionally when a required server failed
	 */
	public CompletableFuture<Void> start(String name) {
		ManagedServer server = managed(name);
		synchronized (this.lifecycle) {
			this.stops.remove(name); // a context started again after a stop
			CompletableFuture<Void> started = this.starts.get(name);
			if (started == null) {
				// dependencies first (the graph has no cycle); a plain map, as this
				// recurses
				CompletableFuture<?>[] dependencies = this.graph.dependenciesOf(name)
					.stream()
					.map(this::start)
					.map((future) -> future.exceptionally((ex) -> null))
					.toArray(CompletableFuture[]::new);
				CompletableFuture<Void> start = new CompletableFuture<>();
				CompletableFuture.allOf(dependencies)
					.thenComposeAsync((ignored) -> startUnlessStopped(name, server, start), this.runtime.workers)
					.whenComplete((result, error) -> {
						if (error != null) {
							start.completeExceptionally(error);
						}
						else {
							start.complete(null);
						}
					});
				started = start;
				this.starts.put(name, started);
			}
			return started;
		}
	}

	/**
	 * Starts the server unless a stop was asked for since this start: checked under the
	 * same lock as {@link #stop(String)} registers, so a stop issued while a start is
	 * under way always has the last word.
	 */
	private CompletableFuture<Void> startUnlessStopped(String name, ManagedServer server,
			CompletableFuture<Void> start) {
		synchronized (this.lifecycle) {
			return (this.starts.get(name) == start) ? server.startWithContext()
					: CompletableFuture.completedFuture(null);
		}
	}

	/** Starts every server, independent ones in parallel; completes when all are up. */
	public CompletableFuture<Void> startAll() {
		return CompletableFuture
			.allOf(this.servers.keySet().stream().map(this::start).toArray(CompletableFuture[]::new));
	}

	/**
	 * Stops a server after every server that depends on it.
	 * @param name the server's name
	 * @return completes when its process trees are gone
	 */
	public CompletableFuture<Void> stop(String name) {
		ManagedServer server = managed(name);
		synchronized (this.lifecycle) {
			this.starts.remove(name); // a later start starts it again
			CompletableFuture<Void> stopped = this.stops.get(name);
			if (stopped == null) {
				CompletableFuture<?>[] dependents = this.graph.dependentsOf(name)
					.stream()
					.map(this::stop)
					.map((future) -> future.exceptionally((ex) -> null))
					.toArray(CompletableFuture[]::new);
				stopped = CompletableFuture.allOf(dependents).thenRunAsync(server::stop, this.runtime.workers);
				this.stops.put(name, stopped);
			}
			return stopped;
		}
	}

	/**
	 * Stops every server, independent ones concurrently, dependents first; waits for all.
	 */
	public void stopAll() {
		List<CompletableFuture<Void>> all = new ArrayList<>();
		this.servers.keySet().forEach((name) -> all.add(stop(name)));
		all.forEach((future) -> future.exceptionally((ex) -> null).join());
	}

	/**
	 * Adds an observer of every request any server completes, for metrics.
	 * @param observer the observer
	 */
	public void addRequestObserver(RequestObserver observer) {
		this.runtime.addObserver(observer);
	}

	/**
	 * Adds a listener told, with the server's name and its new tools, when the client of
	 * a server learns that its tools changed: the server said so, or it was restarted
	 * into a process that offers other tools.
	 * @param listener the listener
	 */
	public void addToolsChangedListener(BiConsumer<String, List<McpSchema.Tool>> listener) {
		this.runtime.addToolsListener(listener);
	}

	/**
	 * Registers a JVM shutdown hook that stops every server, for an exit that never
	 * closes the registry ({@code System.exit} in a CLI, no context shutdown hook).
	 * {@link #close()} removes it.
	 */
	public synchronized void registerShutdownHook() {
		if (!this.hookRegistered) {
			Runtime.getRuntime().addShutdownHook(this.shutdownHook);
			this.hookRegistered = true;
		}
	}

	/**
	 * Tells the registry that its application context has begun to close, so the JVM
	 * shutdown hook leaves the stop to the context and its lifecycle order.
	 */
	public void contextClosing() {
		this.closing.countDown();
	}

	/**
	 * At JVM shutdown: when a context close is under way (Spring Boot's own shutdown
	 * hook), waits for it, so servers stop in lifecycle order, after the web server's
	 * graceful shutdown; otherwise (no context close: {@code System.exit} without
	 * Spring's hook) stops every server itself.
	 */
	private void jvmShutdown() {
		try {
			if (this.closing.await(HOOK_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
				this.closed.await(HOOK_CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		stopAll();
	}

	@Override
	public void close() {
		this.closing.countDown();
		stopAll();
		this.runtime.shutdown();
		this.closed.countDown();
		synchronized (this) {
			if (this.hookRegistered) {
				try {
					Runtime.getRuntime().removeShutdownHook(this.shutdownHook);
				}
				catch (IllegalStateException ex) {
					// the JVM is shutting down: the hook runs, or already ran, stopAll
				}
				this.hookRegistered = false;
			}
		}
	}

	private ManagedServer managed(String name) {
		ManagedServer server = this.servers.get(name);
		if (server == null) {
			throw new IllegalArgumentException("No MCP server named '" + name + "'; configured servers: "
					+ this.servers.keySet() + ". Add it under mcp.stdio.servers." + name + " or fix the name.");
		}
		return server;
	}

}
