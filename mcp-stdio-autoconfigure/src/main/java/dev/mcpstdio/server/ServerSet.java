package dev.mcpstdio.server;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

/**
 * The set of servers of a registry and the graph of their dependencies, changed one
 * change at a time (a registration, an unregistration, a reconciliation), each server
 * started and stopped in dependency order by a {@link ServerSequencer}. The set is
 * replaced as a whole on a change, so that readers take no lock.
 */
final class ServerSet {

	/** The servers by name, in the order of their declaration or registration. */
	private volatile Map<String, ManagedServer> servers;

	private volatile ServerGraph graph;

	/** Whether the servers were started (the context runs): a server added now starts. */
	private volatile boolean running;

	/** The changes, one at a time. */
	private final Object changes = new Object();

	private final List<BiConsumer<List<McpStdioServer>, List<McpStdioServer>>> listeners = new CopyOnWriteArrayList<>();

	private final Function<ServerDefinition, ManagedServer> factory;

	private final ServerSequencer sequencer;

	/**
	 * Creates the set; nothing is started.
	 * @param definitions the servers, in declaration order
	 * @param factory creates the server of a definition
	 * @param workers runs the starts and stops
	 */
	ServerSet(List<ServerDefinition> definitions, Function<ServerDefinition, ManagedServer> factory, Executor workers) {
		this.factory = factory;
		this.graph = ServerGraph.of(definitions);
		Map<String, ManagedServer> servers = new LinkedHashMap<>();
		for (ServerDefinition definition : definitions) {
			servers.put(definition.name(), factory.apply(definition));
		}
		this.servers = Collections.unmodifiableMap(servers);
		this.sequencer = new ServerSequencer(() -> this.servers, () -> this.graph, workers);
	}

	/** The definitions of servers, in their order. */
	private static List<ServerDefinition> definitions(Map<String, ManagedServer> servers) {
		return new ArrayList<>(servers.values().stream().map(ManagedServer::definition).toList());
	}

	/** The servers by name, in their order, as they are now. */
	Map<String, ManagedServer> servers() {
		return this.servers;
	}

	/** The server of a name, or null. */
	@Nullable ManagedServer get(String name) {
		return this.servers.get(name);
	}

	private ManagedServer existing(String name) {
		ManagedServer server = this.servers.get(name);
		if (server == null) {
			throw new IllegalArgumentException("No MCP server named '" + name + "'");
		}
		return server;
	}

	/** See {@link McpStdioServers#register}. */
	ManagedServer register(ServerDefinition definition) {
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
			server = this.factory.apply(definition);
			Map<String, ManagedServer> servers = new LinkedHashMap<>(this.servers);
			servers.put(name, server);
			this.graph = graph;
			this.servers = Collections.unmodifiableMap(servers);
			// the stop of an unregistered server of the name is forgotten
			this.sequencer.forget(name);
			if (this.running) {
				this.sequencer.start(name);
			}
		}
		this.listeners.forEach((listener) -> listener.accept(List.of(server), List.of()));
		return server;
	}

	/** See {@link McpStdioServers#unregister}. */
	CompletableFuture<Void> unregister(String name) {
		ManagedServer server;
		CompletableFuture<Void> stopped;
		synchronized (this.changes) {
			server = existing(name);
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
		this.listeners.forEach((listener) -> listener.accept(List.of(), List.of(server)));
		return stopped;
	}

	/** See {@link McpStdioServers#reconcile}. */
	CompletableFuture<ServerChanges> reconcile(List<ServerDefinition> definitions) {
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
			changes.stopped().forEach((name) -> existing(name).retire());
			changes.stopped().forEach(this.sequencer::forget);
			changes.stopped().forEach((name) -> stops.add(this.sequencer.stop(name)));
			Map<String, ManagedServer> servers = new LinkedHashMap<>();
			for (ServerDefinition definition : definitions) {
				ManagedServer kept = this.servers.get(definition.name());
				if (changes.unchanged().contains(definition.name()) && kept != null) {
					servers.put(definition.name(), kept);
				}
				else {
					ManagedServer server = this.factory.apply(definition);
					servers.put(definition.name(), server);
					added.add(server);
				}
			}
			changes.stopped().forEach((name) -> removed.add(existing(name)));
			this.graph = graph;
			this.servers = Collections.unmodifiableMap(servers);
			// the new servers of those names start and stop afresh
			changes.stopped().forEach(this.sequencer::forget);
		}
		this.listeners.forEach((listener) -> listener.accept(List.copyOf(added), List.copyOf(removed)));
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

	/** See {@link McpStdioServers#addServersChangedListener}. */
	void addListener(BiConsumer<List<McpStdioServer>, List<McpStdioServer>> listener) {
		this.listeners.add(listener);
	}

	/** Starts a server after the servers it depends on. */
	CompletableFuture<Void> start(String name) {
		return this.sequencer.start(name);
	}

	/** Starts every server: from now on, a server added starts at once. */
	CompletableFuture<Void> startAll() {
		synchronized (this.changes) {
			this.running = true;
			return this.sequencer.startAll();
		}
	}

	/** Stops a server after every server that depends on it. */
	CompletableFuture<Void> stop(String name) {
		return this.sequencer.stop(name);
	}

	/**
	 * Stops every server and waits for all: from now on, a server added does not start.
	 */
	void stopAll() {
		synchronized (this.changes) {
			this.running = false;
		}
		this.sequencer.stopAll();
	}

}
