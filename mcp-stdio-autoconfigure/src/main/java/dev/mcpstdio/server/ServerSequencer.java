package dev.mcpstdio.server;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * Starts and stops the servers in dependency order: a server starts after the servers it
 * depends on, and stops after the servers that depend on it; independent ones go
 * concurrently. A stop issued while a start is under way always has the last word.
 */
final class ServerSequencer {

	/**
	 * The servers as they are now: servers are registered and unregistered at run time.
	 */
	private final Supplier<Map<String, ManagedServer>> servers;

	private final Supplier<ServerGraph> graph;

	private final Executor workers;

	private final Object lock = new Object();

	private final Map<String, CompletableFuture<Void>> starts = new HashMap<>();

	private final Map<String, CompletableFuture<Void>> stops = new HashMap<>();

	ServerSequencer(Supplier<Map<String, ManagedServer>> servers, Supplier<ServerGraph> graph, Executor workers) {
		this.servers = servers;
		this.graph = graph;
		this.workers = workers;
	}

	/**
	 * Starts a server after its dependencies; one start per server until it is stopped.
	 */
	CompletableFuture<Void> start(String name) {
		ManagedServer server = server(name);
		synchronized (this.lock) {
			this.stops.remove(name); // a context started again after a stop
			CompletableFuture<Void> started = this.starts.get(name);
			if (started == null) {
				// dependencies first (the graph has no cycle); a plain map, as this
				// recurses
				CompletableFuture<?>[] dependencies = this.graph.get()
					.dependenciesOf(name)
					.stream()
					.map(this::start)
					.map((future) -> future.exceptionally((ex) -> null))
					.toArray(CompletableFuture[]::new);
				CompletableFuture<Void> start = new CompletableFuture<>();
				CompletableFuture.allOf(dependencies)
					.thenComposeAsync((ignored) -> startUnlessStopped(name, server, start), this.workers)
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
	 * lock that {@link #stop(String)} takes to register, so the stop always wins.
	 */
	private CompletableFuture<Void> startUnlessStopped(String name, ManagedServer server,
			CompletableFuture<Void> start) {
		synchronized (this.lock) {
			return (this.starts.get(name) == start) ? server.startWithContext()
					: CompletableFuture.completedFuture(null);
		}
	}

	/** Starts every server; completes when all are up. */
	CompletableFuture<Void> startAll() {
		return CompletableFuture
			.allOf(this.servers.get().keySet().stream().map(this::start).toArray(CompletableFuture[]::new));
	}

	/** Stops a server after every server that depends on it. */
	CompletableFuture<Void> stop(String name) {
		ManagedServer server = server(name);
		synchronized (this.lock) {
			this.starts.remove(name); // a later start starts it again
			CompletableFuture<Void> stopped = this.stops.get(name);
			if (stopped == null) {
				server.stopComing();
				CompletableFuture<?>[] dependents = this.graph.get()
					.dependentsOf(name)
					.stream()
					.map(this::stop)
					.map((future) -> future.exceptionally((ex) -> null))
					.toArray(CompletableFuture[]::new);
				stopped = CompletableFuture.allOf(dependents).thenRunAsync(server::stop, this.workers);
				this.stops.put(name, stopped);
			}
			return stopped;
		}
	}

	private ManagedServer server(String name) {
		ManagedServer server = this.servers.get().get(name);
		if (server == null) {
			throw new IllegalArgumentException("No MCP server named '" + name + "'");
		}
		return server;
	}

	/**
	 * Forgets the start and stop of a name, whose server was unregistered or replaced:
	 * the futures stay with whoever holds them, and the next server of the name starts
	 * and stops afresh.
	 */
	void forget(String name) {
		synchronized (this.lock) {
			this.starts.remove(name);
			this.stops.remove(name);
		}
	}

	/** Stops every server and waits for all. */
	void stopAll() {
		List<CompletableFuture<Void>> all = new ArrayList<>();
		this.servers.get().keySet().forEach((name) -> all.add(stop(name)));
		all.forEach((future) -> future.exceptionally((ex) -> null).join());
	}

}
