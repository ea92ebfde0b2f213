package dev.mcpstdio.server;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import dev.mcpstdio.process.ProcessLauncher;
import dev.mcpstdio.transport.RequestObserver;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.json.McpJsonMapper;

/**
 * The managed servers of an application, by name: their clients and sessions, and the
 * start and stop of all of them in dependency order.
 */
public final class McpStdioServers implements AutoCloseable {

	private final Map<String, ManagedServer> servers = new LinkedHashMap<>();

	private final ServerGraph graph;

	private final ServerRuntime runtime;

	private final Map<String, CompletableFuture<Void>> starts = new ConcurrentHashMap<>();

	private final Map<String, CompletableFuture<Void>> stops = new ConcurrentHashMap<>();

	private final Thread shutdownHook = new Thread(this::stopAll, "mcp-stdio-shutdown");

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
	 * The shared client of a keep-alive server. It may be used at once: before the
	 * server is up, calls wait for it.
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
	 * {@code keep-alive: false}, with a process of its own that its {@code close()} stops.
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
		this.stops.remove(name); // a context started again after a stop
		return this.starts.computeIfAbsent(name, (key) -> {
			ManagedServer server = managed(key);
			CompletableFuture<?>[] dependencies = this.graph.dependenciesOf(key)
				.stream()
				.map(this::start)
				.map((future) -> future.exceptionally((ex) -> null))
				.toArray(CompletableFuture[]::new);
			return CompletableFuture.allOf(dependencies).thenComposeAsync((ignored) -> server.startWithContext(),
					this.runtime.workers);
		});
	}

	/** Starts every server, independent ones in parallel; completes when all are up. */
	public CompletableFuture<Void> startAll() {
		return CompletableFuture.allOf(this.servers.keySet().stream().map(this::start).toArray(CompletableFuture[]::new));
	}

	/**
	 * Stops a server after every server that depends on it.
	 * @param name the server's name
	 * @return completes when its process trees are gone
	 */
	public CompletableFuture<Void> stop(String name) {
		this.starts.remove(name); // a later start starts it again
		return this.stops.computeIfAbsent(name, (key) -> {
			ManagedServer server = managed(key);
			CompletableFuture<?>[] dependents = this.graph.dependentsOf(key)
				.stream()
				.map(this::stop)
				.map((future) -> future.exceptionally((ex) -> null))
				.toArray(CompletableFuture[]::new);
			return CompletableFuture.allOf(dependents).thenRunAsync(server::stop, this.runtime.workers);
		});
	}

	/** Stops every server, independent ones concurrently, dependents first; waits for all. */
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

	@Override
	public void close() {
		stopAll();
		this.runtime.shutdown();
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
