package dev.mcpstdio.server;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import dev.mcpstdio.transport.ManagedStdioTransport;
import dev.mcpstdio.transport.McpStdioException;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCMessage;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCResponse;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * A keep-alive server: one process shared by every caller through one client, started
 * with the context or on first use, restarted by its policy with backoff, stopped after
 * {@code idle-timeout} and started again on the next use.
 */
final class KeepAliveServer implements ManagedServer {

	private static final Logger logger = LoggerFactory.getLogger(KeepAliveServer.class);

	private final ServerDefinition definition;

	private final ServerRuntime runtime;

	private final RestartTracker restarts;

	private final SharedConnection connection;

	private final McpSyncClient client;

	private final Object lock = new Object();

	private volatile ServerState state = ServerState.STOPPED;

	private volatile @Nullable Generation generation;

	private volatile @Nullable ManagedStdioTransport starting;

	private CompletableFuture<Generation> ready = new CompletableFuture<>();

	private volatile boolean contextStarted;

	private volatile boolean stoppedOnPurpose;

	private volatile @Nullable Integer lastExitCode;

	private volatile @Nullable String lastError;

	private volatile List<String> lastStderrTail = List.of();

	private volatile Instant lastActivity;

	private @Nullable ScheduledFuture<?> pendingTask;

	private int attempts;

	private final Map<String, CompletableFuture<JSONRPCResponse>> ownRequests = new ConcurrentHashMap<>();

	private final AtomicLong requestIds = new AtomicLong();

	private final AtomicBoolean pinging = new AtomicBoolean();

	private @Nullable ScheduledFuture<?> pingTask;

	private volatile boolean everStarted;

	private volatile boolean pingSupported = true;

	private volatile @Nullable Duration lastPingRoundTrip;

	private volatile int pingFailures;

	private volatile @Nullable Integer toolCount;

	/** The tools the last process listed, to tell the client when a restart changed them. */
	private volatile @Nullable List<?> tools;

	KeepAliveServer(ServerDefinition definition, ServerRuntime runtime) {
		this.definition = definition;
		this.runtime = runtime;
		this.restarts = new RestartTracker(definition.restart(), runtime.clock);
		this.connection = new SharedConnection(this);
		this.client = runtime.client(this.connection, definition);
		this.lastActivity = runtime.clock.instant();
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
				return; // stopped on purpose: only restart() or the context's start start it again
			}
			this.state = ServerState.STARTING;
			attempt = ++this.attempts;
			transport = this.runtime.transport(this.definition);
			this.starting = transport;
		}
		try {
			Generation started = initialize(transport);
			boolean stale;
			synchronized (this.lock) {
				stale = !isStarting(attempt);
				if (!stale) {
					this.generation = started;
					this.state = ServerState.RUNNING;
					this.lastError = null;
					this.lastActivity = this.runtime.clock.instant();
					this.ready.complete(started);
				}
				if (this.starting == transport) {
					this.starting = null;
				}
			}
			if (stale) {
				transport.stop();
				return;
			}
			transport.whenStopped().whenComplete((report, error) -> ended(started));
			this.everStarted = true;
			McpSchema.Implementation info = started.result().serverInfo();
			logger.info("MCP server '{}' started: pid {}, {} {}", name(), transport.pid(),
					(info != null) ? info.name() : "?", (info != null) ? info.version() : "?");
			scheduleIdleCheck(this.definition.idleTimeout());
			schedulePings(started);
			listTools(started);
			if (!this.client.isInitialized()) {
				// answered from the result above: later failures reach callers unwrapped
				this.client.initialize();
			}
		}
		catch (RuntimeException ex) {
			transport.stop();
			McpStdioException failure = startFailure(transport, ex);
			synchronized (this.lock) {
				if (this.starting == transport) {
					this.starting = null;
				}
				// checked and acted on under one lock: a concurrent stop or restart has the last word
				if (isStarting(attempt)) {
					this.lastExitCode = transport.exitCode().isPresent() ? transport.exitCode().getAsInt() : null;
					this.lastStderrTail = transport.stderrTail();
					this.lastError = failure.getMessage();
					logger.warn(failure.getMessage());
					// a process that could not start failed, whatever its exit code
					int exitCode = transport.exitCode().orElse(-1);
					afterExit((exitCode == 0) ? -1 : exitCode, failure);
				}
			}
			throw failure;
		}
	}

	/** Whether this attempt is the start still under way; under the lock. */
	private boolean isStarting(int attempt) {
		return this.state == ServerState.STARTING && this.attempts == attempt;
	}

	private Generation initialize(ManagedStdioTransport transport) {
		transport.connect((messages) -> messages.doOnNext(this::received).then(Mono.empty())).block();
		McpSchema.InitializeRequest request = McpSchema.InitializeRequest
			.builder(latestProtocolVersion(transport), McpSchema.ClientCapabilities.builder().build(),
					ServerRuntime.CLIENT_INFO)
			.build();
		JSONRPCResponse response = request(transport, McpSchema.METHOD_INITIALIZE, request,
				this.definition.initializeTimeout(), "initialize-timeout");
		if (response.error() != null) {
			String message = response.error().message();
			if (!message.contains("MCP server '" + name() + "'")) {
				message = McpStdioException.withTail("MCP server '" + name() + "': initialize failed: " + message,
						transport.stderrTail());
			}
			throw new McpStdioException(name(), message,
					transport.exitCode().isPresent() ? transport.exitCode().getAsInt() : null, transport.stderrTail());
		}
		McpSchema.InitializeResult result = this.runtime.jsonMapper.convertValue(response.result(),
				McpSchema.InitializeResult.class);
		transport.sendMessage(new McpSchema.JSONRPCNotification(McpSchema.JSONRPC_VERSION,
				McpSchema.METHOD_NOTIFICATION_INITIALIZED, null)).block();
		return new Generation(transport, response.result(), result, this.runtime.clock.instant());
	}

	/** A request of the server's own (initialize, ping, tools/list), answered to it alone. */
	private JSONRPCResponse request(ManagedStdioTransport transport, String method, @Nullable Object params,
			Duration timeout, String timeoutProperty) {
		String id = "mcp-stdio-" + method + "-" + this.requestIds.incrementAndGet();
		CompletableFuture<JSONRPCResponse> answer = new CompletableFuture<>();
		this.ownRequests.put(id, answer);
		try {
			transport.sendMessage(new McpSchema.JSONRPCRequest(McpSchema.JSONRPC_VERSION, method, id, params)).block();
			return answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (TimeoutException ex) {
			throw new McpStdioException(name(), McpStdioException.withTail("MCP server '" + name()
					+ "' did not answer '" + method + "' within " + timeoutProperty + " " + timeout,
					transport.stderrTail()), null, transport.stderrTail());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new McpStdioException(name(), "MCP server '" + name() + "': interrupted during '" + method + "'", ex);
		}
		catch (ExecutionException ex) {
			throw new McpStdioException(name(), "MCP server '" + name() + "': '" + method + "' failed", ex.getCause());
		}
		finally {
			this.ownRequests.remove(id);
		}
	}

	private void received(JSONRPCMessage message) {
		if (message instanceof JSONRPCResponse response) {
			CompletableFuture<JSONRPCResponse> own = this.ownRequests.remove(String.valueOf(response.id()));
			if (own != null) {
				own.complete(response);
				return;
			}
		}
		this.lastActivity = this.runtime.clock.instant();
		this.connection.deliver(message);
	}

	private void schedulePings(Generation started) {
		Duration interval = this.definition.health().pingInterval();
		this.pingFailures = 0;
		if (interval.isZero() || !this.pingSupported) {
			return;
		}
		synchronized (this.lock) {
			cancelPings();
			this.pingTask = this.runtime.timer.scheduleWithFixedDelay(
					() -> this.runtime.workers.execute(() -> ping(started)), interval.toMillis(), interval.toMillis(),
					TimeUnit.MILLISECONDS);
		}
	}

	private void ping(Generation current) {
		if (this.generation != current || this.state != ServerState.RUNNING
				|| !this.pinging.compareAndSet(false, true)) {
			return;
		}
		long started = System.nanoTime();
		try {
			JSONRPCResponse response = request(current.transport(), McpSchema.METHOD_PING, null,
					this.definition.health().pingTimeout(), "health.ping-timeout");
			if (response.error() == null) {
				this.lastPingRoundTrip = Duration.ofNanos(System.nanoTime() - started);
				this.pingFailures = 0;
			}
			else if (response.error().code() == McpSchema.ErrorCodes.METHOD_NOT_FOUND) {
				logger.info("MCP server '{}' does not answer ping: its health is its process's liveness", name());
				this.pingSupported = false;
				synchronized (this.lock) {
					cancelPings();
				}
			}
			else {
				pingFailed(response.error().message());
			}
		}
		catch (RuntimeException ex) {
			pingFailed(ex.getMessage());
		}
		finally {
			this.pinging.set(false);
		}
	}

	private void pingFailed(@Nullable String why) {
		int failures = ++this.pingFailures;
		if (failures == this.definition.health().failureThreshold()) {
			logger.warn("MCP server '{}' failed {} pings in a row: {}", name(), failures, why);
		}
	}

	private void cancelPings() {
		if (this.pingTask != null) {
			this.pingTask.cancel(false);
			this.pingTask = null;
		}
	}

	private void listTools(Generation current) {
		if (current.result().capabilities() == null || current.result().capabilities().tools() == null) {
			this.toolCount = 0;
			return;
		}
		this.runtime.workers.execute(() -> {
			try {
				JSONRPCResponse response = request(current.transport(), McpSchema.METHOD_TOOLS_LIST, Map.of(),
						this.definition.requestTimeout(), "request-timeout");
				if (response.result() instanceof Map<?, ?> result && result.get("tools") instanceof List<?> listed) {
					this.toolCount = listed.size();
					List<?> before = this.tools;
					this.tools = listed;
					if (before != null && !before.equals(listed) && this.client.isInitialized()) {
						logger.info("MCP server '{}' offers other tools since its restart: telling its client", name());
						this.connection.deliver(new McpSchema.JSONRPCNotification(McpSchema.JSONRPC_VERSION,
								McpSchema.METHOD_NOTIFICATION_TOOLS_LIST_CHANGED, null));
					}
				}
			}
			catch (RuntimeException ex) {
				logger.debug("MCP server '{}': could not list its tools: {}", name(), ex.getMessage());
			}
		});
	}

	private McpStdioException startFailure(ManagedStdioTransport transport, RuntimeException ex) {
		if (ex instanceof McpStdioException stdio) {
			return stdio;
		}
		McpStdioException terminal = transport.terminalError();
		if (terminal != null) {
			return terminal;
		}
		return new McpStdioException(name(), "MCP server '" + name() + "' could not start: " + ex.getMessage(), ex);
	}

	/** The process of a generation ended: on its own, or stopped. */
	private void ended(Generation ended) {
		synchronized (this.lock) {
			if (this.generation != ended) {
				return;
			}
			this.generation = null;
			cancelPings();
			ManagedStdioTransport transport = ended.transport();
			this.lastExitCode = transport.exitCode().isPresent() ? transport.exitCode().getAsInt() : null;
			this.lastStderrTail = transport.stderrTail();
			if (this.state != ServerState.RUNNING) {
				return; // stopping on purpose: stop() reports
			}
			McpStdioException why = (transport.terminalError() != null) ? transport.terminalError()
					: new McpStdioException(name(), "MCP server '" + name() + "' exited", this.lastExitCode,
							this.lastStderrTail);
			this.lastError = why.getMessage();
			if (this.ready.isDone()) {
				this.ready = new CompletableFuture<>();
			}
			cancelPendingTask();
			// under the same lock as the checks above: a restart() in between cannot be undone
			afterExit((this.lastExitCode != null) ? this.lastExitCode : -1, why);
		}
	}

	/** Applies the restart policy after a process exited or failed to start; under the lock. */
	private void afterExit(int exitCode, McpStdioException why) {
		synchronized (this.lock) {
			if (this.stoppedOnPurpose) {
				return;
			}
			if (!this.definition.restart().policy().shouldRestart(exitCode)) {
				this.state = (exitCode == 0) ? ServerState.STOPPED : ServerState.FAILED;
				if (this.state == ServerState.FAILED) {
					failWaiters(failed(why));
				}
				return;
			}
			Optional<Duration> delay = this.restarts.next();
			if (delay.isEmpty()) {
				this.state = ServerState.FAILED;
				logger.error("MCP server '{}' is FAILED: {} restarts within {}; restart it to try again",
						name(), this.definition.restart().maxRestarts(), this.definition.restart().window());
				failWaiters(failed(why));
				return;
			}
			this.state = ServerState.BACKOFF;
			logger.warn("MCP server '{}' exited with code {}: restarting in {}", name(), exitCode, delay.get());
			cancelPendingTask();
			this.pendingTask = this.runtime.timer.schedule(() -> this.runtime.workers.execute(this::restartAfterBackoff),
					delay.get().toMillis(), TimeUnit.MILLISECONDS);
		}
	}

	private void restartAfterBackoff() {
		synchronized (this.lock) {
			if (this.state != ServerState.BACKOFF) {
				return;
			}
			this.state = ServerState.STOPPED;
		}
		try {
			start();
		}
		catch (RuntimeException ex) {
			// reported, and the policy applied, by start()
		}
	}

	/**
	 * A process ready to take messages, waiting up to the timeout for one while the server
	 * starts or restarts; at once an error when it is FAILED or stopped.
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
					return Mono.error(new McpStdioException(name(), "MCP server '" + name()
							+ "' is stopping: request '" + method + "' refused", this.lastExitCode, List.of()));
				}
				case STOPPED -> {
					if (this.stoppedOnPurpose) {
						return Mono.error(new McpStdioException(name(), "MCP server '" + name()
								+ "' is stopped: request '" + method + "' refused; restart it to use it again",
								this.lastExitCode, List.of()));
					}
					// lazy, idle-stopped or exited cleanly: start on this use; eager before the
					// context started: wait for the context to start it
					startNow = this.contextStarted || this.definition.startup() == Startup.LAZY;
				}
				default -> {
				}
			}
			if (this.ready.isDone() && !isReadyNow()) {
				this.ready = new CompletableFuture<>();
			}
			waitFor = this.ready;
		}
		if (startNow) {
			this.runtime.workers.execute(() -> {
				try {
					start();
				}
				catch (RuntimeException ex) {
					// reported, and the policy applied, by start()
				}
			});
		}
		return Mono.fromFuture(waitFor, true)
			.timeout(timeout, Mono.error(() -> new McpStdioException(name(), "MCP server '" + name()
					+ "' was not ready within " + timeout + " for request '" + method + "' (state " + this.state + ")",
					this.lastExitCode, this.lastStderrTail)));
	}

	private boolean isReadyNow() {
		return this.ready.isDone() && !this.ready.isCompletedExceptionally() && this.generation != null;
	}

	@Override
	public void stop() {
		stop(true);
	}

	/** Stops the process; {@code onPurpose} false is an idle stop, undone by the next use. */
	private void stop(boolean onPurpose) {
		Generation current;
		synchronized (this.lock) {
			this.stoppedOnPurpose = onPurpose;
			cancelPendingTask();
			cancelPings();
			current = this.generation;
			if (current == null && this.starting == null) {
				if (this.state != ServerState.FAILED || onPurpose) {
					this.state = ServerState.STOPPED;
				}
				failWaiters(stoppedException());
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
				failWaiters(stoppedException());
			}
			else if (this.ready.isDone()) {
				this.ready = new CompletableFuture<>();
			}
		}
	}

	@Override
	public void restart() {
		stop(true);
		synchronized (this.lock) {
			this.stoppedOnPurpose = false;
			this.restarts.reset();
			this.ready = new CompletableFuture<>();
		}
		start();
	}

	/** Whether the generation is the one currently running. */
	boolean isCurrent(Generation candidate) {
		return this.generation == candidate && this.state == ServerState.RUNNING;
	}

	/** Marks activity, which holds off the idle timeout. */
	void touch() {
		this.lastActivity = this.runtime.clock.instant();
	}

	private void scheduleIdleCheck(Duration delay) {
		Duration idle = this.definition.idleTimeout();
		if (idle.isZero()) {
			return;
		}
		synchronized (this.lock) {
			cancelPendingTask();
			this.pendingTask = this.runtime.timer.schedule(() -> this.runtime.workers.execute(this::idleCheck),
					Math.max(1, delay.toMillis()), TimeUnit.MILLISECONDS);
		}
	}

	private void idleCheck() {
		Generation current = this.generation;
		if (current == null || this.state != ServerState.RUNNING) {
			return;
		}
		Duration idleFor = Duration.between(this.lastActivity, this.runtime.clock.instant());
		Duration idle = this.definition.idleTimeout();
		if (current.transport().inFlightCount() > 0 || idleFor.compareTo(idle) < 0) {
			scheduleIdleCheck(idle.minus(idleFor).isNegative() ? idle : idle.minus(idleFor));
			return;
		}
		logger.info("MCP server '{}' idle for {}: stopping it until its next use", name(), idleFor);
		stop(false);
	}

	private void cancelPendingTask() {
		if (this.pendingTask != null) {
			this.pendingTask.cancel(false);
			this.pendingTask = null;
		}
	}

	private void failWaiters(McpStdioException why) {
		if (!this.ready.isDone()) {
			this.ready.completeExceptionally(why);
		}
		this.ready = new CompletableFuture<>();
	}

	private McpStdioException failed(@Nullable McpStdioException why) {
		String cause = (this.lastError != null) ? this.lastError : (why != null) ? why.getMessage() : "unknown";
		return new McpStdioException(name(), "MCP server '" + name() + "' is FAILED (" + this.restarts.total()
				+ " restarts). Fix the cause and restart it; last error: " + cause, this.lastExitCode,
				this.lastStderrTail);
	}

	private McpStdioException stoppedException() {
		return new McpStdioException(name(), "MCP server '" + name() + "' was stopped", this.lastExitCode,
				List.of());
	}

	@Override
	public ServerStatus status() {
		Generation current = this.generation;
		Instant now = this.runtime.clock.instant();
		McpSchema.Implementation info = (current != null) ? current.result().serverInfo() : null;
		List<String> tail = (current != null) ? current.transport().stderrTail() : this.lastStderrTail;
		return new ServerStatus(name(), this.state, (current != null) ? current.transport().pid() : null,
				(current != null) ? current.startedAt() : null,
				(current != null) ? Duration.between(current.startedAt(), now) : Duration.ZERO, this.restarts.total(),
				this.lastExitCode, this.lastError, (info != null) ? info.name() : null,
				(info != null) ? info.version() : null, (current != null) ? current.result().protocolVersion() : null,
				0, tail, this.everStarted, this.stoppedOnPurpose,
				new ServerStatus.Pings(this.pingSupported && !this.definition.health().pingInterval().isZero(),
						this.lastPingRoundTrip, this.pingFailures, this.definition.health().failureThreshold()),
				this.toolCount);
	}

	McpJsonMapper jsonMapper() {
		return this.runtime.jsonMapper;
	}

	private static String latestProtocolVersion(ManagedStdioTransport transport) {
		List<String> versions = transport.protocolVersions();
		return versions.get(versions.size() - 1);
	}

	/**
	 * One process of the server, initialized.
	 *
	 * @param transport its transport
	 * @param rawInitializeResult the result of {@code initialize} as it came
	 * @param result the same, mapped
	 * @param startedAt when it was started
	 */
	record Generation(ManagedStdioTransport transport, Object rawInitializeResult, McpSchema.InitializeResult result,
			Instant startedAt) {
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
