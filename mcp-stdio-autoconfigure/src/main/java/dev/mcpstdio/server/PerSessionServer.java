package dev.mcpstdio.server;

import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

import dev.mcpstdio.process.ProcessLaunchException;
import dev.mcpstdio.transport.ManagedStdioTransport;
import dev.mcpstdio.transport.error.McpStdioException;
import dev.mcpstdio.transport.error.McpStdioRefusedException;
import io.modelcontextprotocol.client.McpAsyncClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A server with {@code keep-alive: false}: every session has a process of its own, taken
 * from its {@link SessionPool} (at most {@code max-sessions} live, {@code pool.min-idle}
 * started ahead). Closing the session returns at once and hands its process to the stop
 * ladder on a worker; the process keeps its slot until its tree is gone, and
 * {@link #stop()} waits for every such stop.
 */
final class PerSessionServer implements ManagedServer {

	private static final Logger logger = LoggerFactory.getLogger(PerSessionServer.class);

	private final ServerDefinition definition;

	private final ServerRuntime runtime;

	private final SessionPool pool;

	private final Set<ProcessSession> sessions = ConcurrentHashMap.newKeySet();

	/** The stops of closed sessions' processes still under way. */
	private final Set<CompletableFuture<Void>> stopping = ConcurrentHashMap.newKeySet();

	/** The openSession calls under way: a stop waits for them too. */
	private final Set<CompletableFuture<Void>> opening = ConcurrentHashMap.newKeySet();

	private final AtomicInteger opened = new AtomicInteger();

	private final RestartTracker restarts;

	private final ServerErrors errors;

	private volatile ServerState state = ServerState.STOPPED;

	private volatile boolean stoppedOnPurpose;

	private volatile LastExit lastExit = LastExit.NONE;

	PerSessionServer(ServerDefinition definition, ServerRuntime runtime) {
		this.definition = definition;
		this.runtime = runtime;
		this.errors = new ServerErrors(definition.name());
		this.restarts = new RestartTracker(definition.name(), definition.restart(), runtime.clock, runtime.scheduler);
		this.pool = new SessionPool(definition.name(), definition.sessions(), this::launch, runtime.workers,
				this.restarts);
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
		throw noSharedClient();
	}

	@Override
	public McpAsyncClient asyncClient() {
		throw noSharedClient();
	}

	private IllegalStateException noSharedClient() {
		return new IllegalStateException("MCP server '" + name() + "' has keep-alive: false, so it has no shared"
				+ " client: open a session of its own with openSession(\"" + name() + "\") and close it when done,"
				+ " or set keep-alive: true");
	}

	@Override
	public CompletableFuture<Void> startWithContext() {
		this.stoppedOnPurpose = false;
		this.state = ServerState.ON_DEMAND;
		this.pool.start();
		return CompletableFuture.completedFuture(null);
	}

	@Override
	public McpStdioSession openSession() {
		return open(() -> this.pool.take(this.definition.requestTimeout()));
	}

	/** Opens a session on the process the source gives, unless the server is stopped. */
	private ProcessSession open(Supplier<SessionPool.SessionProcess> source) {
		// registered before the check: a stop that comes after it waits for this open
		CompletableFuture<Void> open = new CompletableFuture<>();
		this.opening.add(open);
		try {
			if (this.errors.isRetired()) {
				throw this.errors.retired("no session can be opened");
			}
			if (this.stoppedOnPurpose || this.state == ServerState.STOPPING) {
				throw new McpStdioRefusedException(name(),
						"MCP server '" + name() + "' is stopped: no session can be opened; restart it to use it again",
						null, List.of());
			}
			SessionPool.SessionProcess process = source.get();
			ProcessSession session = new ProcessSession(process);
			this.sessions.add(session);
			this.opened.incrementAndGet();
			if (this.stoppedOnPurpose) {
				session.close(); // stopped while it opened
				throw new McpStdioRefusedException(name(),
						"MCP server '" + name() + "' was stopped while a session opened", null, List.of());
			}
			return session;
		}
		finally {
			this.opening.remove(open);
			open.complete(null);
		}
	}

	@Override
	public McpStdioChannel openChannel(Consumer<JSONRPCMessage> receiver) {
		return openChannel(receiver, ProcessOverrides.NONE);
	}

	@Override
	public McpStdioChannel openChannel(Consumer<JSONRPCMessage> receiver, ProcessOverrides overrides) {
		ProcessSession session = overrides.isEmpty() ? (ProcessSession) openSession() : open(() -> this.pool
			.launch(this.definition.requestTimeout(), () -> launch(this.definition
				.withProcessSpec(this.definition.processSpec().with(overrides.env(), overrides.workingDirectory())))));
		return new ProcessChannel(session, session.process.transport(), session.process.client(),
				this.runtime.jsonMapper, receiver);
	}

	/** Launches and initializes a process for one session. */
	private SessionPool.SessionProcess launch() {
		return launch(this.definition);
	}

	/** Launches and initializes a process for one session, as the definition says. */
	private SessionPool.SessionProcess launch(ServerDefinition launched) {
		ManagedStdioTransport transport = this.runtime.transport(launched);
		McpSyncClient client = this.runtime.sessionClient(transport, launched);
		try {
			client.initialize();
			updateLastExit(LastExit::withoutError); // the server launches again
			return new SessionPool.SessionProcess(transport, client);
		}
		catch (RuntimeException ex) {
			transport.abandon();
			McpStdioException failure = initializeFailure(transport, ex);
			updateLastExit((last) -> LastExit.of(transport, failure.getMessage()));
			throw failure;
		}
	}

	private McpStdioException initializeFailure(ManagedStdioTransport transport, RuntimeException ex) {
		McpStdioException terminal = transport.terminalError();
		if (terminal != null) {
			return terminal;
		}
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof TimeoutException) {
				return this.errors.unanswered(McpSchema.METHOD_INITIALIZE, "initialize-timeout",
						this.definition.initializeTimeout(), transport);
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
		CompletableFuture<Void> idle = CompletableFuture.runAsync(this.pool::stop, this.runtime.workers);
		// until no open is under way and every session's process is gone: an open under
		// way closes its session when it sees the stop
		while (!this.opening.isEmpty() || !this.sessions.isEmpty() || !this.stopping.isEmpty()) {
			this.sessions.forEach(ProcessSession::close);
			List.copyOf(this.opening).forEach(CompletableFuture::join);
			List.copyOf(this.stopping).forEach(CompletableFuture::join);
		}
		idle.join();
		this.state = ServerState.STOPPED;
	}

	@Override
	public void restart() {
		if (this.errors.isRetired()) {
			throw this.errors.retired("it cannot be restarted");
		}
		stop();
		startWithContext();
	}

	@Override
	public void retire() {
		this.errors.retire();
	}

	/**
	 * The requests of every open session that wait for their turn (each has its own cap).
	 */
	@Override
	public int waitingRequests() {
		return this.sessions.stream().mapToInt((session) -> session.process.transport().waitingRequests()).sum();
	}

	/** Updates the record of the last exit as one step: sessions end concurrently. */
	private synchronized void updateLastExit(UnaryOperator<LastExit> update) {
		this.lastExit = update.apply(this.lastExit);
	}

	@Override
	public ServerStatus status() {
		return ServerStatus
			.builder(name(), this.state, this.restarts.total(), this.lastExit,
					this.definition.health().failureThreshold())
			.sessions(this.sessions.size())
			.pool(this.pool.status(this.stopping.size()))
			.history(this.opened.get() > 0, this.stoppedOnPurpose)
			.build();
	}

	@Override
	public String toString() {
		return "McpStdioServer[" + name() + ", keep-alive: false, " + this.sessions.size() + " sessions]";
	}

	/** A session that owns its process. */
	private final class ProcessSession implements McpStdioSession {

		private final SessionPool.SessionProcess process;

		private final AtomicBoolean closed = new AtomicBoolean();

		private final CompletableFuture<Void> stopped = new CompletableFuture<>();

		ProcessSession(SessionPool.SessionProcess process) {
			this.process = process;
		}

		@Override
		public String serverName() {
			return name();
		}

		@Override
		public McpSyncClient client() {
			return this.process.client();
		}

		@Override
		public OptionalLong pid() {
			return OptionalLong.of(this.process.transport().pid());
		}

		@Override
		public void close() {
			if (!this.closed.compareAndSet(false, true)) {
				return;
			}
			// counted as stopping before it is no longer open: a stop sees it in one or
			// the other
			PerSessionServer.this.stopping.add(this.stopped);
			PerSessionServer.this.sessions.remove(this);
			// refuses new requests now; the drain and the ladder run on a worker
			this.process.transport()
				.stopInBackground(PerSessionServer.this.runtime.workers)
				.whenComplete((report, error) -> stopped());
		}

		@Override
		public CompletableFuture<Void> whenStopped() {
			return this.stopped.copy();
		}

		/** The process tree is gone: its client closes and its slot is freed. */
		private void stopped() {
			try {
				this.process.client().close();
				ManagedStdioTransport transport = this.process.transport();
				updateLastExit((last) -> LastExit.of(transport, last.error()));
			}
			catch (RuntimeException ex) {
				logger.warn("MCP server '{}': closing the client of a closed session failed", name(), ex);
			}
			finally {
				// told before the slot is freed: whoever gets the slot sees this stop
				// done
				PerSessionServer.this.stopping.remove(this.stopped);
				this.stopped.complete(null);
				PerSessionServer.this.pool.release();
			}
		}

	}

}
