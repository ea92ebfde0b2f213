package dev.mcpstdio.server;

import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import dev.mcpstdio.process.ProcessLaunchException;
import dev.mcpstdio.transport.ManagedStdioTransport;
import dev.mcpstdio.transport.McpStdioException;
import dev.mcpstdio.transport.McpStdioRefusedException;
import dev.mcpstdio.transport.McpStdioTimeoutException;
import io.modelcontextprotocol.client.McpSyncClient;
import org.jspecify.annotations.Nullable;

/**
 * A server with {@code keep-alive: false}: every session launches a process of its own,
 * and closing the session stops that process tree before {@code close()} returns.
 */
final class PerSessionServer implements ManagedServer {

	private final ServerDefinition definition;

	private final ServerRuntime runtime;

	private final Set<ProcessSession> sessions = ConcurrentHashMap.newKeySet();

	private final AtomicInteger opened = new AtomicInteger();

	private volatile ServerState state = ServerState.STOPPED;

	private volatile boolean stoppedOnPurpose;

	private volatile LastExit lastExit = LastExit.NONE;

	PerSessionServer(ServerDefinition definition, ServerRuntime runtime) {
		this.definition = definition;
		this.runtime = runtime;
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
		return this.state;
	}

	@Override
	public OptionalLong pid() {
		return OptionalLong.empty();
	}

	@Override
	public McpSyncClient client() {
		throw new IllegalStateException("MCP server '" + name() + "' has keep-alive: false, so it has no shared"
				+ " client: open a session of its own with openSession(\"" + name() + "\") and close it when done,"
				+ " or set keep-alive: true");
	}

	@Override
	public CompletableFuture<Void> startWithContext() {
		this.stoppedOnPurpose = false;
		this.state = ServerState.RUNNING;
		return CompletableFuture.completedFuture(null);
	}

	@Override
	public McpStdioSession openSession() {
		if (this.stoppedOnPurpose || this.state == ServerState.STOPPING) {
			throw new McpStdioRefusedException(name(),
					"MCP server '" + name() + "' is stopped: no session can be opened; restart it to use it again",
					null, List.of());
		}
		ManagedStdioTransport transport = this.runtime.transport(this.definition);
		McpSyncClient client = this.runtime.client(transport, this.definition);
		try {
			client.initialize();
		}
		catch (RuntimeException ex) {
			transport.stop();
			McpStdioException failure = initializeFailure(transport, ex);
			this.lastExit = LastExit.of(transport, failure.getMessage());
			throw failure;
		}
		ProcessSession session = new ProcessSession(transport, client);
		this.sessions.add(session);
		this.opened.incrementAndGet();
		if (this.stoppedOnPurpose) {
			session.close(); // stopped while it opened
			throw new McpStdioRefusedException(name(), "MCP server '" + name() + "' was stopped while a session opened",
					null, List.of());
		}
		return session;
	}

	private McpStdioException initializeFailure(ManagedStdioTransport transport, RuntimeException ex) {
		McpStdioException terminal = transport.terminalError();
		if (terminal != null) {
			return terminal;
		}
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof TimeoutException) {
				return new McpStdioTimeoutException(name(),
						McpStdioException.withTail(
								"MCP server '" + name() + "' did not answer 'initialize' within initialize-timeout "
										+ this.definition.initializeTimeout(),
								transport.stderrTail()),
						null, transport.stderrTail());
			}
			if (cause instanceof ProcessLaunchException launch) {
				return new McpStdioException(name(), launch.getMessage(), launch);
			}
		}
		return new McpStdioException(name(), "MCP server '" + name() + "': 'initialize' failed: " + ex.getMessage(),
				ex);
	}

	@Override
	public void stop() {
		this.stoppedOnPurpose = true;
		this.state = ServerState.STOPPING;
		List<CompletableFuture<Void>> closing = this.sessions.stream()
			.map((session) -> CompletableFuture.runAsync(session::close, this.runtime.workers))
			.toList();
		closing.forEach(CompletableFuture::join);
		this.state = ServerState.STOPPED;
	}

	@Override
	public void restart() {
		stop();
		this.stoppedOnPurpose = false;
		this.state = ServerState.RUNNING;
	}

	@Override
	public ServerStatus status() {
		return ServerStatus.builder(name(), this.state, 0, this.lastExit, this.definition.health().failureThreshold())
			.sessions(this.sessions.size())
			.history(this.opened.get() > 0, this.stoppedOnPurpose)
			.build();
	}

	@Override
	public String toString() {
		return "McpStdioServer[" + name() + ", keep-alive: false, " + this.sessions.size() + " sessions]";
	}

	/** A session that owns its process. */
	private final class ProcessSession implements McpStdioSession {

		private final ManagedStdioTransport transport;

		private final McpSyncClient client;

		ProcessSession(ManagedStdioTransport transport, McpSyncClient client) {
			this.transport = transport;
			this.client = client;
		}

		@Override
		public String serverName() {
			return name();
		}

		@Override
		public McpSyncClient client() {
			return this.client;
		}

		@Override
		public void close() {
			this.transport.stop();
			this.client.close();
			PerSessionServer.this.lastExit = LastExit.of(this.transport, PerSessionServer.this.lastExit.error());
			PerSessionServer.this.sessions.remove(this);
		}

	}

}
