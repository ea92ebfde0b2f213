package dev.mcpstdio.server;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;

import dev.mcpstdio.transport.ManagedStdioTransport;
import dev.mcpstdio.transport.McpStdioException;
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
 * {@code idle-timeout} and started again on the next use. This class is the state
 * machine; the {@link Handshake}, the {@link HealthPinger}, the {@link ToolListWatcher},
 * the {@link ReadyGate} and one {@link ServerTimer} each for the idle check and the
 * backoff do the rest.
 */
final class KeepAliveServer implements ManagedServer {

	private static final Logger logger = LoggerFactory.getLogger(KeepAliveServer.class);

	private final ServerDefinition definition;

	private final ServerRuntime runtime;

	private final RestartTracker restarts;

	private final SharedConnection connection;

	private final McpSyncClient client;

	private final Handshake handshake;

	private final HealthPinger pinger;

	private final ToolListWatcher tools;

	private final ServerErrors errors;

	private final ReadyGate<Generation> gate = new ReadyGate<>();

	private final IdleTimer idleTimer;

	private final ServerTimer backoffTimer;

	private final Object lock = new Object();

	private volatile ServerState state = ServerState.STOPPED;

	private volatile @Nullable Generation generation;

	private volatile @Nullable ManagedStdioTransport starting;

	private int attempts;

	private volatile boolean contextStarted;

	private volatile boolean stoppedOnPurpose;

	private volatile boolean everStarted;

	private volatile LastExit lastExit = LastExit.NONE;

	KeepAliveServer(ServerDefinition definition, ServerRuntime runtime) {
		this.definition = definition;
		this.runtime = runtime;
		this.restarts = new RestartTracker(definition.restart(), runtime.clock);
		this.connection = new SharedConnection(this);
		this.client = runtime.client(this.connection, definition);
		this.errors = new ServerErrors(definition.name());
		this.handshake = new Handshake(definition.name(), this.errors, runtime.jsonMapper, runtime.clock);
		this.pinger = new HealthPinger(definition.name(), definition.health(), this.handshake, runtime.scheduler,
				runtime.clock);
		this.tools = new ToolListWatcher(definition.name(), this.handshake, runtime.workers,
				definition.requestTimeout(), this.connection::deliver, this.client::isInitialized);
		this.idleTimer = new IdleTimer(definition.idleTimeout(), runtime.clock, runtime.scheduler);
		this.backoffTimer = new ServerTimer(runtime.scheduler);
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
		Generation current = this.generation;
		return (current != null) ? OptionalLong.of(current.transport().pid()) : OptionalLong.empty();
	}

	@Override
	public McpSyncClient client() {
		return this.client;
	}

	@Override
	public McpStdioSession openSession() {
		return new SharedSession(name(), this.client);
	}

	@Override
	public CompletableFuture<Void> startWithContext() {
		this.contextStarted = true;
		this.stoppedOnPurpose = false;
		if (this.definition.startup() == Startup.LAZY) {
			return CompletableFuture.completedFuture(null);
		}
		return CompletableFuture.runAsync(() -> {
			try {
				start();
			}
			catch (RuntimeException ex) {
				if (this.definition.required()) {
					throw ex;
				}
				logger.warn("MCP server '{}' could not start; it is not required, so the application starts without it",
						name());
			}
		}, this.runtime.workers);
	}

	/**
	 * Launches a process and initializes it. On failure the restart policy applies and
	 * the failure is thrown.
	 */
	void start() {
		ManagedStdioTransport transport;
		int attempt;
		synchronized (this.lock) {
			if (this.stoppedOnPurpose || this.state == ServerState.STARTING || this.state == ServerState.RUNNING
					|| this.state == ServerState.STOPPING) {
				return; // stopped on purpose: only restart() or the context's start start
						// it again
			}
			this.state = ServerState.STARTING;
			attempt = ++this.attempts;
			transport = this.runtime.transport(this.definition);
			this.starting = transport;
		}
		try {
			Generation started = this.handshake.initialize(transport, this.definition.initializeTimeout(),
					this::received);
			if (!becameRunning(started, attempt)) {
				transport.stop();
				return;
			}
			transport.whenStopped().whenComplete((report, error) -> ended(started));
			this.everStarted = true;
			McpSchema.Implementation info = started.result().serverInfo();
			logger.info("MCP server '{}' started: pid {}, {} {}", name(), transport.pid(),
					(info != null) ? info.name() : "?", (info != null) ? info.version() : "?");
			this.idleTimer.start(transport::inFlightCount, (idleFor) -> idle(started, idleFor));
			this.pinger.start(started);
			this.tools.list(started);
			if (!this.client.isInitialized()) {
				// answered from the result above: later failures reach callers unwrapped
				this.client.initialize();
			}
		}
		catch (RuntimeException ex) {
			transport.stop();
			McpStdioException failure = this.errors.startFailure(transport, ex);
			synchronized (this.lock) {
				if (this.starting == transport) {
					this.starting = null;
				}
				// checked and acted on under one lock: a concurrent stop or restart has
				// the last word
				if (isStarting(attempt)) {
					this.lastExit = LastExit.of(transport, failure.getMessage());
					logger.warn(failure.getMessage());
					// a process that could not start failed, whatever its exit code
					int exitCode = transport.exitCode().orElse(-1);
					afterExit((exitCode == 0) ? -1 : exitCode, failure);
				}
			}
			throw failure;
		}
	}

	/** Makes the started process the running one, unless this attempt was overtaken. */
	private boolean becameRunning(Generation started, int attempt) {
		synchronized (this.lock) {
			boolean current = isStarting(attempt);
			if (current) {
				this.generation = started;
				this.state = ServerState.RUNNING;
				this.lastExit = this.lastExit.withoutError();
				this.gate.open(started);
			}
			if (this.starting == started.transport()) {
				this.starting = null;
			}
			return current;
		}
	}

	/** Whether this attempt is the start still under way; under the lock. */
	private boolean isStarting(int attempt) {
		return this.state == ServerState.STARTING && this.attempts == attempt;
	}

	private void received(JSONRPCMessage message) {
		this.idleTimer.touch();
		this.connection.deliver(message);
	}

	/** The process of a generation ended: on its own, or stopped. */
	private void ended(Generation ended) {
		synchronized (this.lock) {
			if (this.generation != ended) {
				return;
			}
			this.generation = null;
			this.pinger.stop();
			ManagedStdioTransport transport = ended.transport();
			if (this.state != ServerState.RUNNING) {
				this.lastExit = LastExit.of(transport, this.lastExit.error());
				return; // stopping on purpose: stop() reports
			}
			McpStdioException why = this.errors.exited(transport);
			this.lastExit = LastExit.of(transport, why.getMessage());
			this.gate.close();
			this.idleTimer.stop();
			// under the same lock as the checks above: a restart() in between cannot be
			// undone
			Integer exitCode = this.lastExit.exitCode();
			afterExit((exitCode != null) ? exitCode : -1, why);
		}
	}

	/**
	 * Applies the restart policy after a process exited or failed to start; under the
	 * lock.
	 */
	private void afterExit(int exitCode, McpStdioException why) {
		synchronized (this.lock) {
			if (this.stoppedOnPurpose) {
				return;
			}
			if (!this.definition.restart().policy().shouldRestart(exitCode)) {
				this.state = (exitCode == 0) ? ServerState.STOPPED : ServerState.FAILED;
				if (this.state == ServerState.FAILED) {
					this.gate.fail(failed(why));
				}
				return;
			}
			Optional<Duration> delay = this.restarts.next();
			if (delay.isEmpty()) {
				this.state = ServerState.FAILED;
				logger.error("MCP server '{}' is FAILED: {} restarts within {}; restart it to try again", name(),
						this.definition.restart().maxRestarts(), this.definition.restart().window());
				this.gate.fail(failed(why));
				return;
			}
			this.state = ServerState.BACKOFF;
			logger.warn("MCP server '{}' exited with code {}: restarting in {}", name(), exitCode, delay.get());
			this.backoffTimer.schedule(delay.get(), this::restartAfterBackoff);
		}
	}

	private void restartAfterBackoff() {
		synchronized (this.lock) {
			if (this.state != ServerState.BACKOFF) {
				return;
			}
			this.state = ServerState.STOPPED;
		}
		startQuietly();
	}

	private void startQuietly() {
		try {
			start();
		}
		catch (RuntimeException ex) {
			// reported, and the policy applied, by start()
		}
	}

	/**
	 * A process ready to take messages, waiting up to the timeout for one while the
	 * server starts or restarts; at once an error when it is FAILED or stopped.
	 */
	Mono<Generation> awaitReady(Duration timeout, String method) {
		Generation current = this.generation;
		if (current != null && this.state == ServerState.RUNNING) {
			return Mono.just(current);
		}
		CompletableFuture<Generation> waitFor;
		boolean startNow = false;
		synchronized (this.lock) {
			switch (this.state) {
				case FAILED -> {
					return Mono.error(failed(null));
				}
				case STOPPING -> {
					return Mono.error(this.errors.refused(method, true, this.lastExit));
				}
				case STOPPED -> {
					if (this.stoppedOnPurpose) {
						return Mono.error(this.errors.refused(method, false, this.lastExit));
					}
					// lazy, idle-stopped or exited cleanly: start on this use; eager
					// before the
					// context started: wait for the context to start it
					startNow = this.contextStarted || this.definition.startup() == Startup.LAZY;
				}
				default -> {
				}
			}
			waitFor = this.gate.await();
		}
		if (startNow) {
			this.runtime.workers.execute(this::startQuietly);
		}
		return Mono.fromFuture(waitFor, true)
			.timeout(timeout, Mono.error(() -> this.errors.notReady(timeout, method, this.state, this.lastExit)));
	}

	@Override
	public void stop() {
		stop(true);
	}

	/**
	 * Stops the process; {@code onPurpose} false is an idle stop, undone by the next use.
	 */
	private void stop(boolean onPurpose) {
		Generation current;
		synchronized (this.lock) {
			this.stoppedOnPurpose = onPurpose;
			this.backoffTimer.cancel();
			this.idleTimer.stop();
			this.pinger.stop();
			current = this.generation;
			if (current == null && this.starting == null) {
				if (this.state != ServerState.FAILED || onPurpose) {
					this.state = ServerState.STOPPED;
				}
				this.gate.fail(this.errors.stopped(this.lastExit));
				return;
			}
			this.state = ServerState.STOPPING;
		}
		ManagedStdioTransport inStart = this.starting;
		if (inStart != null) {
			inStart.stop();
		}
		if (current != null) {
			current.transport().stop();
		}
		synchronized (this.lock) {
			this.generation = null;
			this.state = ServerState.STOPPED;
			if (onPurpose) {
				this.gate.fail(this.errors.stopped(this.lastExit));
			}
			else {
				this.gate.close();
			}
		}
	}

	@Override
	public void restart() {
		stop(true);
		synchronized (this.lock) {
			this.stoppedOnPurpose = false;
			this.restarts.reset();
			this.gate.close();
		}
		start();
	}

	/** Whether the generation is the one currently running. */
	boolean isCurrent(Generation candidate) {
		return this.generation == candidate && this.state == ServerState.RUNNING;
	}

	/** Marks activity, which holds off the idle timeout. */
	void touch() {
		this.idleTimer.touch();
	}

	private void idle(Generation idle, Duration idleFor) {
		if (isCurrent(idle)) {
			logger.info("MCP server '{}' idle for {}: stopping it until its next use", name(), idleFor);
			stop(false);
		}
	}

	private McpStdioException failed(@Nullable McpStdioException why) {
		return this.errors.failed(this.restarts.total(), this.lastExit, why);
	}

	@Override
	public ServerStatus status() {
		Generation current = this.generation;
		LastExit last = this.lastExit;
		Instant now = this.runtime.clock.instant();
		McpSchema.Implementation info = (current != null) ? current.result().serverInfo() : null;
		List<String> tail = (current != null) ? current.transport().stderrTail() : last.stderrTail();
		return new ServerStatus(name(), this.state, (current != null) ? current.transport().pid() : null,
				(current != null) ? current.startedAt() : null,
				(current != null) ? Duration.between(current.startedAt(), now) : Duration.ZERO, this.restarts.total(),
				last.exitCode(), last.error(), (info != null) ? info.name() : null,
				(info != null) ? info.version() : null, (current != null) ? current.result().protocolVersion() : null,
				0, tail, this.everStarted, this.stoppedOnPurpose, this.pinger.status(), this.tools.toolCount());
	}

	McpJsonMapper jsonMapper() {
		return this.runtime.jsonMapper;
	}

	/** A session over the shared client: closing it leaves the shared process running. */
	private record SharedSession(String serverName, McpSyncClient client) implements McpStdioSession {

		@Override
		public void close() {
		}

	}

	@Override
	public String toString() {
		return "McpStdioServer[" + name() + ", " + this.state + "]";
	}

}
