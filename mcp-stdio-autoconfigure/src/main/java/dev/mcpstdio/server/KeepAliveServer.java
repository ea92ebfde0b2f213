package dev.mcpstdio.server;

import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import io.modelcontextprotocol.client.McpAsyncClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCMessage;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * A keep-alive server: one process shared by every caller through one client, started
 * with the context or on first use, restarted by its policy with backoff, stopped after
 * {@code idle-timeout} and started again on the next use. This class is the server's
 * face: its client, sessions and status; its {@link KeepAliveStateMachine} runs the
 * process.
 */
final class KeepAliveServer implements ManagedServer {

	private static final Logger logger = LoggerFactory.getLogger(KeepAliveServer.class);

	private final ServerDefinition definition;

	private final ServerRuntime runtime;

	private final McpSyncClient client;

	private final KeepAliveStateMachine machine;

	private final ClientConnections connections = new ClientConnections();

	private @Nullable McpAsyncClient asyncClient;

	KeepAliveServer(ServerDefinition definition, ServerRuntime runtime) {
		this.definition = definition;
		this.runtime = runtime;
		SharedConnection connection = new SharedConnection(this, runtime.clock, runtime.observations.registry());
		this.connections.add(connection);
		this.client = runtime.sharedClient(connection, definition);
		this.machine = new KeepAliveStateMachine(definition, runtime, this.connections, this.client);
	}

	@Override
	public String name() {
		return this.definition.name();
	}

	@Override
	public ServerDefinition definition() {
		return this.definition;
	}

	@Override
	public ServerState state() {
		return this.machine.state();
	}

	@Override
	public OptionalLong pid() {
		Generation current = this.machine.generation();
		return (current != null) ? OptionalLong.of(current.transport().pid()) : OptionalLong.empty();
	}

	@Override
	public int waitingRequests() {
		Generation current = this.machine.generation();
		return (current != null) ? current.transport().waitingRequests() : 0;
	}

	@Override
	public McpSyncClient client() {
		return this.client;
	}

	@Override
	public synchronized McpAsyncClient asyncClient() {
		McpAsyncClient async = this.asyncClient;
		if (async == null) {
			SharedConnection connection = new SharedConnection(this, this.runtime.clock,
					this.runtime.observations.registry());
			this.connections.add(connection);
			async = this.runtime.asyncClient(connection, this.definition);
			this.asyncClient = async;
		}
		return async;
	}

	/** A client set the process's logging level: each new process is told it again. */
	void loggingLevelSet(@Nullable Object params) {
		this.connections.loggingLevelSet(params);
	}

	@Override
	public McpStdioSession openSession() {
		return new SharedSession(this, this.client);
	}

	@Override
	public McpStdioChannel openChannel(Consumer<JSONRPCMessage> receiver) {
		Generation generation = awaitReady(this.definition.requestTimeout(), McpSchema.METHOD_INITIALIZE).block();
		if (generation == null) {
			throw new IllegalStateException("MCP server '" + name() + "' has no process ready");
		}
		return new SharedChannel(name(), generation, this.runtime.jsonMapper, this.connections, this::touch, receiver);
	}

	@Override
	public CompletableFuture<Void> startWithContext() {
		this.machine.contextStarted();
		if (this.definition.startup() == Startup.LAZY) {
			return CompletableFuture.completedFuture(null);
		}
		return CompletableFuture.runAsync(() -> {
			try {
				if (this.definition.required()) {
					this.machine.startRequired();
				}
				else {
					this.machine.start();
				}
			}
			catch (RuntimeException ex) {
				if (this.definition.required()) {
					throw ex;
				}
				logger.info("MCP server '{}' could not start; it is not required, so the application starts without it",
						name());
			}
		}, this.runtime.workers);
	}

	@Override
	public void stop() {
		this.machine.stop(true);
	}

	@Override
	public void stopComing() {
		this.machine.stopComing();
	}

	@Override
	public void restart() {
		this.machine.restart();
	}

	@Override
	public void retire() {
		this.machine.retire();
	}

	@Override
	public ServerStatus status() {
		return this.machine.status();
	}

	/** A process ready to take messages, waiting up to the timeout for one. */
	Mono<Generation> awaitReady(Duration timeout, String method) {
		return this.machine.awaitReady(timeout, method);
	}

	/** Whether a process is running and initialized. */
	boolean isReady() {
		return this.machine.state() == ServerState.RUNNING;
	}

	/** Whether the generation is the one currently running. */
	boolean isCurrent(Generation candidate) {
		return this.machine.isCurrent(candidate);
	}

	/** Marks activity, which holds off the idle timeout. */
	void touch() {
		this.machine.touch();
	}

	McpJsonMapper jsonMapper() {
		return this.runtime.jsonMapper;
	}

	/** A session over the shared client: closing it leaves the shared process running. */
	private record SharedSession(KeepAliveServer server, McpSyncClient client) implements McpStdioSession {

		@Override
		public String serverName() {
			return this.server.name();
		}

		@Override
		public OptionalLong pid() {
			return this.server.pid();
		}

		@Override
		public void close() {
		}

	}

	@Override
	public String toString() {
		return "McpStdioServer[" + name() + ", " + state() + "]";
	}

}
