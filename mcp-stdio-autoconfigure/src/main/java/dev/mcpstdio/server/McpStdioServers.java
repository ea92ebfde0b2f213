package dev.mcpstdio.server;

import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

import dev.mcpstdio.process.ProcessLauncher;
import dev.mcpstdio.transport.observation.McpClientObservations;
import dev.mcpstdio.transport.observation.RequestObserver;
import io.modelcontextprotocol.client.McpAsyncClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCMessage;

/**
 * The managed servers of an application, by name: their clients and sessions, and the
 * start and stop of all of them in dependency order.
 */
public final class McpStdioServers implements AutoCloseable {

	private final ServerRuntime runtime;

	private final ServerSet servers;

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
		this.servers = new ServerSet(definitions, this::create, this.runtime.workers);
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
		return this.servers.register(definition);
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
		managed(name);
		return this.servers.unregister(name);
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
		return this.servers.reconcile(definitions);
	}

	/**
	 * Adds a listener told of the servers registered and unregistered while the
	 * application runs (added, removed), after the change.
	 * @param listener the listener
	 */
	public void addServersChangedListener(BiConsumer<List<McpStdioServer>, List<McpStdioServer>> listener) {
		this.servers.addListener(listener);
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

	/**
	 * Opens a channel to a server for a gateway session: a process of its own for
	 * keep-alive: false (from the pool), the running shared process otherwise.
	 * @param name the server's name
	 * @param receiver receives the process's messages for the channel; must not throw
	 * @return the channel, its process initialized
	 * @throws dev.mcpstdio.transport.error.McpStdioException naming the server if no
	 * process could be had
	 */
	public McpStdioChannel openChannel(String name, Consumer<JSONRPCMessage> receiver) {
		return managed(name).openChannel(receiver);
	}

	/**
	 * Opens a channel on a process of the server's own launched for one caller, with more
	 * env and another working directory ({@code keep-alive: false} servers only; a
	 * process that takes a slot of {@code max-sessions} but never comes from the pool).
	 * @param name the server's name
	 * @param receiver where the process's messages go
	 * @param overrides what the process gets besides the definition
	 * @return the channel; closing it stops the process through the ladder
	 */
	public McpStdioChannel openChannel(String name, Consumer<JSONRPCMessage> receiver, ProcessOverrides overrides) {
		return managed(name).openChannel(receiver, overrides);
	}

	/** The names of the servers, in declaration order. */
	public List<String> names() {
		return List.copyOf(this.servers.servers().keySet());
	}

	/** Every server, in declaration order. */
	public List<McpStdioServer> servers() {
		return List.copyOf(this.servers.servers().values());
	}

	/**
	 * Starts a server with the context, after the servers it depends on.
	 * @param name the server's name
	 * @return completes when it is up, or exceptionally when a required server failed
	 */
	public CompletableFuture<Void> start(String name) {
		managed(name);
		return this.servers.start(name);
	}

	/** Starts every server, independent ones in parallel; completes when all are up. */
	public CompletableFuture<Void> startAll() {
		return this.servers.startAll();
	}

	/**
	 * Stops a server after every server that depends on it.
	 * @param name the server's name
	 * @return completes when its process trees are gone
	 */
	public CompletableFuture<Void> stop(String name) {
		managed(name);
		return this.servers.stop(name);
	}

	/**
	 * Stops every server, independent ones concurrently, dependents first; waits for all.
	 */
	public void stopAll() {
		this.servers.stopAll();
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
			throw new IllegalArgumentException("No MCP server named '" + name + "'; configured servers: " + names()
					+ ". Add it under mcp.stdio.servers." + name + " or fix the name.");
		}
		return server;
	}

}
