package dev.mcpstdio.server;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

import dev.mcpstdio.process.ProcessLauncher;
import dev.mcpstdio.transport.McpClientObservations;
import dev.mcpstdio.transport.RequestObserver;
import io.modelcontextprotocol.client.McpAsyncClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;

/**
 * The managed servers of an application, by name: their clients and sessions, and the
 * start and stop of all of them in dependency order.
 */
public final class McpStdioServers implements AutoCloseable {

	/**
	 * The servers by name, in the order of their declaration or registration; replaced as
	 * a whole when one is registered or unregistered, so that readers need no lock.
	 */
	private volatile Map<String, ManagedServer> servers = Map.of();

	/** The graph of their dependencies. */
	private volatile ServerGraph graph = ServerGraph.of(List.of());

	/**
	 * Whether the servers were started (the context runs): a server registered now
	 * starts.
	 */
	private volatile boolean running;

	/** Registrations and unregistrations, one at a time. */
	private final Object changes = new Object();

	private final List<BiConsumer<List<McpStdioServer>, List<McpStdioServer>>> changeListeners = new CopyOnWriteArrayList<>();

	private final ServerRuntime runtime;

	private final ServerSequencer sequencer;

	private final ShutdownHook shutdownHook = new ShutdownHook(this::stopAll);

	/**
	 * Creates the registry; nothing is launched until the servers are started.
	 * @param definitions the servers, in declaration order
	 * @param launcher launches their processes
	 * @param jsonMapper maps JSON-RPC messages
	 * @param clock the time of backoffs, idle timeouts and uptimes
	 */
	public McpStdioServers(List<ServerDefinition> definitions, ProcessLauncher launcher, McpJsonMapper jsonMapper,
			Clock clock) {
		this(definitions, launcher, jsonMapper, clock, McpStdioClientCustomizer.NONE);
	}

	/**
	 * Creates the registry with customized clients; nothing is launched until the servers
	 * are started.
	 * @param definitions the servers, in declaration order
	 * @param launcher launches their processes
	 * @param jsonMapper maps JSON-RPC messages
	 * @param clock the time of backoffs, idle timeouts and uptimes
	 * @param customizer customizes each client, with its server's name
	 */
	public McpStdioServers(List<ServerDefinition> definitions, ProcessLauncher launcher, McpJsonMapper jsonMapper,
			Clock clock, McpStdioClientCustomizer customizer) {
		this(definitions, launcher, jsonMapper, clock, customizer, McpClientObservations.NONE);
	}

	/**
	 * Creates the registry with customized clients whose requests are observed; nothing
	 * is launched until the servers are started.
	 * @param definitions the servers, in declaration order
	 * @param launcher launches their processes
	 * @param jsonMapper maps JSON-RPC messages
	 * @param clock the time of backoffs, idle timeouts and uptimes
	 * @param customizer customizes each client, with its server's name
	 * @param observations the registry and convention of the observation of every request
	 * the servers are sent
	 */
	public McpStdioServers(List<ServerDefinition> definitions, ProcessLauncher launcher, McpJsonMapper jsonMapper,
			Clock clock, McpStdioClientCustomizer customizer, McpClientObservations observations) {
		this.runtime = new ServerRuntime(launcher, jsonMapper, clock, customizer, observations);
		this.graph = ServerGraph.of(definitions);
		Map<String, ManagedServer> servers = new LinkedHashMap<>();
		for (ServerDefinition definition : definitions) {
			servers.put(definition.name(), create(definition));
		}
		this.servers = Collections.unmodifiableMap(servers);
		this.sequencer = new ServerSequencer(() -> this.servers, () -> this.graph, this.runtime.workers);
	}

	/** The definitions of servers, in their order. */
	private static List<ServerDefinition> definitions(Map<String, ManagedServer> servers) {
		return new ArrayList<>(servers.values().stream().map(ManagedServer::definition).toList());
	}

	private ManagedServer create(ServerDefinition definition) {
		return definition.keepAlive() ? new KeepAliveServer(definition, this.runtime)
				: new PerSessionServer(definition, this.runtime);
	}

	/**
	 * Adds a server while the application runs: started at once (by its startup mode)
	 * where the servers were started, else with them. A duplicate name, a
	 * {@code depends-on} that names no server, or a cycle fails and changes nothing.
	 * Health, the endpoint and the metrics follow.
	 * @param definition the server
	 * @return the server
	 * @throws IllegalArgumentException if the name is taken, or the dependencies are
	 * invalid ({@link ServerGraph.Invalid}, naming the server and the fix)
	 */
	public McpStdioServer register(ServerDefinition definition) {
		ManagedServer server;
		synchronized (this.changes) {
			String name = definition.name();
			if (this.servers.containsKey(name)) {
				throw new IllegalArgumentException("MCP server '" + name + "' is already registered: unregister it"
						+ " first, or register the new one under another name");
			}
			List<ServerDefinition> definitions = definitions(this.servers);
			definitions.add(definition);
			ServerGraph graph = ServerGraph.of(definitions); // fails before any change
			server = create(definition);
			Map<String, ManagedServer> servers = new LinkedHashMap<>(this.servers);
			servers.put(name, server);
			this.graph = graph;
			this.servers = Collections.unmodifiableMap(servers);
			this.sequencer.forget(name); // the stop of an unregistered server of that
											// name
			if (this.running) {
				this.sequencer.start(name);
			}
		}
		this.changeListeners.forEach((listener) -> listener.accept(List.of(server), List.of()));
		return server;
	}

	/**
	 * Removes a server while the application runs: it is forgotten at once (its name is
	 * unknown from now on) and stopped through the stop ladder, its sessions and pooled
	 * processes included. A server others depend on is not removed.
	 * @param name the server's name
	 * @return completes when its processes are gone
	 * @throws IllegalArgumentException if no server has that name
	 * @throws IllegalStateException if other servers depend on it
	 */
	public CompletableFuture<Void> unregister(String name) {
		ManagedServer server;
		CompletableFuture<Void> stopped;
		synchronized (this.changes) {
			server = managed(name);
			List<String> dependents = this.graph.dependentsOf(name);
			if (!dependents.isEmpty()) {
				throw new IllegalStateException("MCP server '" + name + "' cannot be unregistered: " + dependents
						+ " depend on it. Unregister them first.");
			}
			server.retire();
			stopped = this.sequencer.stop(name);
			Map<String, ManagedServer> servers = new LinkedHashMap<>(this.servers);
			servers.remove(name);
			this.graph = ServerGraph.of(definitions(servers));
			this.servers = Collections.unmodifiableMap(servers);
		}
		this.changeListeners.forEach((listener) -> listener.accept(List.of(), List.of(server)));
		return stopped;
	}

	/**
	 * Makes the servers those of these definitions, server by server: a server whose
	 * definition is equal is left running (same process, calls in flight unharmed); a
	 * changed one is stopped through the ladder (drained first) and started with its new
	 * definition, the servers that depend on it stopped before it and started after it,
	 * as at startup; a server no longer defined is stopped and forgotten; a new one is
	 * added. Definitions whose dependencies are invalid change nothing. Where the servers
	 * were not started yet, nothing is started or stopped.
	 * @param definitions the servers as they should be, in their order
	 * @return what changed; completes when the stopped processes are gone and the started
	 * servers are up (exceptionally when a required one could not start)
	 * @throws IllegalArgumentException if the dependencies are invalid
	 * ({@link ServerGraph.Invalid}, naming the server and the fix) or a name appears
	 * twice
	 */
	public CompletableFuture<ServerChanges> reconcile(List<ServerDefinition> definitions) {
		ServerChanges changes;
		List<ManagedServer> added = new ArrayList<>();
		List<ManagedServer> removed = new ArrayList<>();
		List<CompletableFuture<Void>> stops = new ArrayList<>();
		synchronized (this.changes) {
			Set<String> names = new HashSet<>();
			for (ServerDefinition definition : definitions) {
				if (!names.add(definition.name())) {
					throw new IllegalArgumentException("MCP server '" + definition.name()
							+ "' is defined twice: give each server a name of its own");
				}
			}
			ServerGraph graph = ServerGraph.of(definitions); // fails before any change
			changes = ServerChanges.between(definitions(this.servers), definitions, graph);
			if (changes.isEmpty()) {
				return CompletableFuture.completedFuture(changes);
			}
			// dependents first, in the graph they were started by; the stop of an
			// earlier server of the name is forgotten, as it stopped another one
			changes.stopped().forEach((name) -> managed(name).retire());
			changes.stopped().forEach(this.sequencer::forget);
			changes.stopped().forEach((name) -> stops.add(this.sequencer.stop(name)));
			Map<String, ManagedServer> servers = new LinkedHashMap<>();
			for (ServerDefinition definition : definitions) {
				ManagedServer kept = this.servers.get(definition.name());
				if (changes.unchanged().contains(definition.name()) && kept != null) {
					servers.put(definition.name(), kept);
				}
				else {
					ManagedServer server = create(definition);
					servers.put(definition.name(), server);
					added.add(server);
				}
			}
			changes.stopped().forEach((name) -> removed.add(managed(name)));
			this.graph = graph;
			this.servers = Collections.unmodifiableMap(servers);
			// the new servers of those names start and stop afresh
			changes.stopped().forEach(this.sequencer::forget);
		}
		this.changeListeners.forEach((listener) -> listener.accept(List.copyOf(added), List.copyOf(removed)));
		return CompletableFuture.allOf(stops.toArray(CompletableFuture[]::new))
			.exceptionally((ex) -> null)
			.thenCompose((stopped) -> startReplacements(added))
			.thenApply((started) -> changes);
	}

	/**
	 * Starts the servers a reconciliation created, once the processes they replace are
	 * gone, unless the servers were stopped meanwhile or the server was replaced again.
	 * @param created the servers it created
	 */
	private CompletableFuture<Void> startReplacements(List<ManagedServer> created) {
		List<CompletableFuture<Void>> starts = new ArrayList<>();
		synchronized (this.changes) {
			if (this.running) {
				for (ManagedServer server : created) {
					if (this.servers.get(server.name()) == server) {
						starts.add(this.sequencer.start(server.name()));
					}
				}
			}
		}
		return CompletableFuture.allOf(starts.toArray(CompletableFuture[]::new));
	}

	/**
	 * Adds a listener told of the servers registered and unregistered while the
	 * application runs (added, removed), after the change.
	 * @param listener the listener
	 */
	public void addServersChangedListener(BiConsumer<List<McpStdioServer>, List<McpStdioServer>> listener) {
		this.changeListeners.add(listener);
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
	 * The shared async client of a keep-alive server, over the same process as
	 * {@link #client(String)} (the same restarts, the same health), for reactive
	 * applications. Requests of the server's own (sampling, elicitation, roots) are
	 * answered by the sync client, whose capabilities the process was initialized with.
	 * @param name the server's name
	 * @return its async client
	 * @throws IllegalArgumentException if no server has that name
	 * @throws IllegalStateException if the server has {@code keep-alive: false}
	 */
	public McpAsyncClient asyncClient(String name) {
		return managed(name).asyncClient();
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
		managed(name);
		return this.sequencer.start(name);
	}

	/** Starts every server, independent ones in parallel; completes when all are up. */
	public CompletableFuture<Void> startAll() {
		synchronized (this.changes) {
			this.running = true;
			return this.sequencer.startAll();
		}
	}

	/**
	 * Stops a server after every server that depends on it.
	 * @param name the server's name
	 * @return completes when its process trees are gone
	 */
	public CompletableFuture<Void> stop(String name) {
		managed(name);
		return this.sequencer.stop(name);
	}

	/**
	 * Stops every server, independent ones concurrently, dependents first; waits for all.
	 */
	public void stopAll() {
		synchronized (this.changes) {
			this.running = false;
		}
		this.sequencer.stopAll();
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
	public void registerShutdownHook() {
		this.shutdownHook.register();
	}

	/**
	 * Tells the registry that its application context has begun to close, so the JVM
	 * shutdown hook leaves the stop to the context and its lifecycle order.
	 */
	public void contextClosing() {
		this.shutdownHook.closing();
	}

	@Override
	public void close() {
		this.shutdownHook.closing();
		stopAll();
		this.runtime.shutdown();
		this.shutdownHook.closed();
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
