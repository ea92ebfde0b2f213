package dev.mcpstdio.transport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import dev.mcpstdio.process.ManagedProcess;
import dev.mcpstdio.process.ProcessLaunchException;
import dev.mcpstdio.process.ProcessLauncher;
import dev.mcpstdio.process.ProcessSpec;
import dev.mcpstdio.process.StopReport;
import dev.mcpstdio.process.StopStep;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCMessage;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCRequest;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCResponse;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * An {@link McpClientTransport} over a child process that this transport launches and
 * owns: newline-delimited JSON-RPC on its stdin and stdout, writes serialized so any
 * number of threads may send at once, stdout lines bounded by {@code max-message-size},
 * stderr logged to {@code mcp.stdio.<name>} and kept as a tail. When the child exits,
 * every request in flight fails at once with the exit code and the stderr tail;
 * {@link #closeGracefully()} drains, then runs the stop ladder. Two daemon threads per
 * connection read stdout and stderr.
 */
public final class ManagedStdioTransport implements McpClientTransport {

	private static final Logger logger = LoggerFactory.getLogger(ManagedStdioTransport.class);

	/** How long the end of stdout and stderr is awaited once the child has exited. */
	private static final Duration READER_DRAIN = Duration.ofMillis(500);

	/** How long the readers are given once a stop has ended the tree, both together. */
	private static final Duration READER_DRAIN_AFTER_STOP = Duration.ofMillis(250);

	private static final byte[] NEWLINE = { '\n' };

	private final ProcessLauncher launcher;

	private final ProcessSpec spec;

	private final StdioTransportOptions options;

	private final McpJsonMapper jsonMapper;

	private final Logger stderrLogger;

	private final Redactor redactor;

	private final StderrTail tail;

	private final InFlightRequests inFlight;

	private final StdoutDecoder stdoutDecoder;

	private final AtomicReference<State> state = new AtomicReference<>(State.NEW);

	private final CompletableFuture<StopReport> stopped = new CompletableFuture<>();

	private final Object writeLock = new Object();

	private final Object lifecycleLock = new Object();

	private volatile @Nullable ManagedProcess process;

	private volatile @Nullable Function<Mono<JSONRPCMessage>, Mono<JSONRPCMessage>> handler;

	private volatile @Nullable Thread stdoutReader;

	private volatile @Nullable Thread stderrReader;

	private volatile @Nullable McpStdioException terminalError;

	/**
	 * Creates a transport; the child is launched on {@link #connect(Function)}.
	 * @param launcher launches the child
	 * @param spec what to launch
	 * @param options framing, logging and stop timeouts
	 * @param jsonMapper maps JSON-RPC messages
	 */
	public ManagedStdioTransport(ProcessLauncher launcher, ProcessSpec spec, StdioTransportOptions options,
			McpJsonMapper jsonMapper) {
		this(launcher, spec, options, jsonMapper, RequestObserver.NONE);
	}

	/**
	 * Creates a transport whose requests are observed; the child is launched on
	 * {@link #connect(Function)}.
	 * @param launcher launches the child
	 * @param spec what to launch
	 * @param options framing, logging and stop timeouts
	 * @param jsonMapper maps JSON-RPC messages
	 * @param observer told of every completed request
	 */
	public ManagedStdioTransport(ProcessLauncher launcher, ProcessSpec spec, StdioTransportOptions options,
			McpJsonMapper jsonMapper, RequestObserver observer) {
		this.launcher = launcher;
		this.spec = spec;
		this.options = options;
		this.jsonMapper = jsonMapper;
		this.stderrLogger = LoggerFactory.getLogger("mcp.stdio." + spec.name());
		this.redactor = new Redactor(spec.secretValues());
		this.tail = new StderrTail(options.stderrTailLines());
		RequestObserver guarded = new GuardedObserver(observer);
		this.inFlight = new InFlightRequests(spec.name(), guarded);
		this.stdoutDecoder = new StdoutDecoder(spec.name(), options.maxMessageSize(), jsonMapper, this.inFlight,
				guarded, this.redactor, (message) -> deliver(this.handler, message));
	}

	/** The name of the server. */
	public String name() {
		return this.spec.name();
	}

	@Override
	public Mono<Void> connect(Function<Mono<JSONRPCMessage>, Mono<JSONRPCMessage>> handler) {
		return Mono.fromRunnable(() -> start(handler));
	}

	private void start(Function<Mono<JSONRPCMessage>, Mono<JSONRPCMessage>> handler) {
		synchronized (this.lifecycleLock) {
			launch(handler);
		}
	}

	private void launch(Function<Mono<JSONRPCMessage>, Mono<JSONRPCMessage>> handler) {
		if (!this.state.compareAndSet(State.NEW, State.STARTING)) {
			throw new IllegalStateException("MCP server '" + name() + "': the transport was already connected");
		}
		this.handler = handler;
		ManagedProcess child = null;
		try {
			child = this.launcher.launch(this.spec);
			this.process = child;
			ManagedProcess launched = child;
			this.stdoutReader = startReader("stdout", () -> readStdout(launched.stdout()));
			this.stderrReader = startReader("stderr", () -> readStderr(launched.stderr()));
		}
		catch (RuntimeException | Error ex) {
			String message = (ex instanceof ProcessLaunchException) ? ex.getMessage()
					: "MCP server '" + name() + "' could not be started: " + ex;
			this.terminalError = new McpStdioException(name(), message, ex);
			this.state.set(State.CLOSED);
			StopReport report = (child != null) ? child.stop(this.options.stopTimeouts())
					: new StopReport(-1, StopStep.ALREADY_EXITED, -1, Duration.ZERO, 0);
			this.stopped.complete(report);
			throw ex;
		}
		this.state.set(State.CONNECTED);
		if (!this.options.requestTimeout().isZero()) {
			RequestTimeouts.watch(this);
		}
		child.onExit().thenRunAsync(this::childExited, (task) -> daemon("exit", task).start());
		this.stopped.whenComplete((report, error) -> RequestTimeouts.unwatch(this));
	}

	@Override
	public Mono<Void> sendMessage(JSONRPCMessage message) {
		return Mono.fromRunnable(() -> send(message));
	}

	private void send(JSONRPCMessage message) {
		Object id = (message instanceof JSONRPCRequest request) ? request.id() : null;
		State current = this.state.get();
		if (current != State.CONNECTED && (id != null || current != State.STOPPING)) {
			throw notAccepting(message, current);
		}
		byte[] bytes;
		try {
			bytes = this.jsonMapper.writeValueAsBytes(message);
		}
		catch (IOException ex) {
			throw new McpStdioException(name(), "MCP server '" + name() + "': could not serialize " + describe(message),
					ex);
		}
		if (id != null) {
			String method = ((JSONRPCRequest) message).method();
			// initialize has a timeout of its own, applied by whoever sent it
			this.inFlight.add(id, method,
					McpSchema.METHOD_INITIALIZE.equals(method) ? Duration.ZERO : this.options.requestTimeout());
			// the connection may have ended since the check: then the request must not
			// linger
			State now = this.state.get();
			if (now != State.CONNECTED && this.inFlight.complete(id, RequestObserver.Outcome.ERROR) != null) {
				throw notAccepting(message, now);
			}
		}
		try {
			write(bytes);
		}
		catch (IOException ex) {
			if (id == null || this.inFlight.complete(id, RequestObserver.Outcome.ERROR) != null) {
				throw (this.terminalError != null) ? notAccepting(message, this.state.get())
						: new McpStdioException(name(), "MCP server '" + name() + "' (pid " + pid()
								+ "): could not write " + describe(message) + ": " + ex.getMessage(), ex);
			}
		}
	}

	/**
	 * Fails the requests whose request-timeout has passed; called by the sweeps of
	 * {@link RequestTimeouts}.
	 */
	void expireOverdue(long nowNanos) {
		for (InFlightRequests.Request request : this.inFlight.expire(nowNanos)) {
			String message = McpStdioException.withTail("MCP server '" + name() + "' did not answer request '"
					+ request.method() + "' within request-timeout " + this.options.requestTimeout(),
					this.tail.lines());
			deliver(this.handler,
					JSONRPCResponse.error(request.id(),
							new JSONRPCResponse.JSONRPCError(McpSchema.ErrorCodes.INTERNAL_ERROR, message,
									Map.of("server", name(), "timeout", this.options.requestTimeout().toString()))));
		}
	}

	private void write(byte[] bytes) throws IOException {
		OutputStream stdin = process().stdin();
		synchronized (this.writeLock) {
			stdin.write(bytes);
			stdin.write(NEWLINE);
			stdin.flush();
		}
	}

	private McpStdioException notAccepting(JSONRPCMessage message, State current) {
		McpStdioException terminal = this.terminalError;
		if (terminal instanceof McpStdioExitedException) {
			return new McpStdioExitedException(name(), terminal.getMessage(), terminal.getExitCode(),
					terminal.getStderrTail());
		}
		if (terminal instanceof McpStdioRefusedException) {
			return new McpStdioRefusedException(name(), terminal.getMessage(), terminal.getExitCode(),
					terminal.getStderrTail());
		}
		if (terminal != null) {
			return new McpStdioException(name(), terminal.getMessage(), terminal.getExitCode(),
					terminal.getStderrTail());
		}
		String why = switch (current) {
			case NEW, STARTING -> "is not connected yet";
			case STOPPING -> "is stopping and refuses new requests";
			default -> "is stopped";
		};
		return new McpStdioRefusedException(name(),
				"MCP server '" + name() + "' " + why + ": " + describe(message) + " was not sent", null,
				this.tail.lines());
	}

	@Override
	public Mono<Void> closeGracefully() {
		return Mono.<Void>fromRunnable(this::stop).subscribeOn(Schedulers.boundedElastic());
	}

	/**
	 * Stops the connection and the child: refuses new requests, waits up to
	 * {@code drain-timeout} for those in flight, runs the stop ladder, fails what is
	 * still in flight, and ends the reader threads. Returns when the child's process tree
	 * is gone; calling it again returns the same report.
	 * @return what the stop did
	 */
	public StopReport stop() {
		boolean stopping;
		synchronized (this.lifecycleLock) {
			if (this.state.compareAndSet(State.NEW, State.CLOSED)) {
				this.stopped.complete(new StopReport(-1, StopStep.ALREADY_EXITED, -1, Duration.ZERO, 0));
			}
			stopping = this.state.compareAndSet(State.CONNECTED, State.STOPPING);
		}
		if (stopping) {
			stopRunning();
		}
		return this.stopped.join();
	}

	private void stopRunning() {
		ManagedProcess child = process();
		try {
			if (!this.inFlight.awaitEmpty(this.options.drainTimeout())) {
				logger.warn("MCP server '{}' (pid {}): {} request(s) still in flight after drain-timeout {}", name(),
						child.pid(), this.inFlight.size(), this.options.drainTimeout());
			}
			StopReport report = child.stop(this.options.stopTimeouts());
			this.terminalError = new McpStdioRefusedException(name(), "MCP server '" + name() + "' was stopped",
					report.exitCode(), this.tail.lines());
			endReaders(child);
			failInFlight("was stopped", report.exitCode());
			this.state.set(State.CLOSED);
			this.stopped.complete(report);
		}
		catch (RuntimeException | Error ex) {
			this.state.set(State.CLOSED);
			this.stopped.completeExceptionally(ex);
			throw ex;
		}
	}

	private void childExited() {
		ManagedProcess child = process();
		if (this.state.get() != State.CONNECTED) {
			return; // a stop is under way: it reports
		}
		// read stdout and stderr to their end first: a last response or stderr line is
		// never lost
		join(this.stdoutReader, READER_DRAIN);
		join(this.stderrReader, READER_DRAIN);
		if (!this.state.compareAndSet(State.CONNECTED, State.EXITED)) {
			return;
		}
		int exitCode = child.exitCode().orElse(-1);
		List<String> lines = this.tail.lines();
		String message = "MCP server '" + name() + "' (pid " + child.pid() + ") exited with code " + exitCode;
		this.terminalError = new McpStdioExitedException(name(), McpStdioException.withTail(message, lines), exitCode,
				lines);
		logger.warn(McpStdioException.withTail(message, lines));
		failInFlight("exited with code " + exitCode, exitCode);
		try {
			// the child is gone; its descendants may not be
			StopReport report = child.stop(this.options.stopTimeouts());
			endReaders(child);
			this.stopped.complete(report);
		}
		catch (RuntimeException ex) {
			this.stopped.completeExceptionally(ex);
		}
	}

	private void failInFlight(String what, int exitCode) {
		List<InFlightRequests.Request> requests = this.inFlight.failAll();
		if (requests.isEmpty()) {
			return;
		}
		List<String> lines = this.tail.lines();
		Function<Mono<JSONRPCMessage>, Mono<JSONRPCMessage>> receiver = this.handler;
		requests.forEach((request) -> {
			Object id = request.id();
			String method = request.method();
			String message = McpStdioException.withTail(
					"MCP server '" + name() + "' " + what + " while request '" + method + "' was in flight", lines);
			Map<String, Object> data = new LinkedHashMap<>();
			data.put("server", name());
			data.put("exitCode", exitCode);
			data.put("stderrTail", lines);
			JSONRPCResponse response = JSONRPCResponse.error(id,
					new JSONRPCResponse.JSONRPCError(McpSchema.ErrorCodes.INTERNAL_ERROR, message, data));
			deliver(receiver, response);
		});
	}

	private void endReaders(ManagedProcess child) {
		// the tree is gone: what is left in the pipes is read at once, so a short wait
		// will do
		long deadline = System.nanoTime() + READER_DRAIN_AFTER_STOP.toNanos();
		join(this.stdoutReader, Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
		join(this.stderrReader, Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
		child.closePipes();
	}

	private void readStdout(InputStream stdout) {
		LineReader reader = new LineReader(stdout, this.options.maxMessageSize(), this.stdoutDecoder);
		try {
			reader.readToEnd();
		}
		catch (IOException ex) {
			logger.debug("MCP server '{}': stdout closed: {}", name(), ex.getMessage());
		}
		if (this.state.get() == State.CONNECTED) {
			stdoutClosed();
		}
	}

	private void stdoutClosed() {
		ManagedProcess child = process();
		try {
			if (child.onExit().get(this.options.stopTimeouts().eof().toMillis(), TimeUnit.MILLISECONDS) != null) {
				return; // the exit is reported by childExited
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (ExecutionException | TimeoutException ex) {
			// still running with its stdout closed: nothing more can come from it
		}
		logger.warn("MCP server '{}' (pid {}) closed its stdout but kept running: stopping it", name(), child.pid());
		child.stop(this.options.stopTimeouts());
	}

	private void deliver(@Nullable Function<Mono<JSONRPCMessage>, Mono<JSONRPCMessage>> receiver,
			JSONRPCMessage message) {
		if (receiver == null) {
			return;
		}
		try {
			receiver.apply(Mono.just(message))
				.subscribe(null, (error) -> logger.warn("MCP server '{}': handling {} failed", name(),
						describe(message), error));
		}
		catch (RuntimeException ex) {
			logger.warn("MCP server '{}': handling {} failed", name(), describe(message), ex);
		}
	}

	private void readStderr(InputStream stderr) {
		LineReader reader = new LineReader(stderr, 8192, new LineReader.Listener() {

			@Override
			public void onLine(byte[] bytes, int length) {
				stderrLine(new String(bytes, 0, length, StandardCharsets.UTF_8));
			}

			@Override
			public void onOversizedLine(String start, long length) {
				stderrLine(start + "... (" + length + " bytes)");
			}

		});
		try {
			reader.readToEnd();
		}
		catch (IOException ex) {
			logger.debug("MCP server '{}': stderr closed: {}", name(), ex.getMessage());
		}
	}

	private void stderrLine(String raw) {
		String line = this.redactor.redact(raw);
		this.tail.add(line);
		this.options.stderrLevel().log(this.stderrLogger, line);
	}

	/** The child's pid, or -1 before it started. */
	public long pid() {
		ManagedProcess child = this.process;
		return (child != null) ? child.pid() : -1;
	}

	/** The child's exit code, once it has exited. */
	public OptionalInt exitCode() {
		ManagedProcess child = this.process;
		return (child != null) ? child.exitCode() : OptionalInt.empty();
	}

	/** Whether the connection is up: connected and neither stopping nor ended. */
	public boolean isConnected() {
		return this.state.get() == State.CONNECTED;
	}

	/**
	 * Completes when the connection has ended and the child's tree is gone, however it
	 * ended.
	 */
	public CompletableFuture<StopReport> whenStopped() {
		return this.stopped.copy();
	}

	/** Why the connection ended, once it has. */
	public @Nullable McpStdioException terminalError() {
		return this.terminalError;
	}

	/** The last lines the child wrote to stderr, secrets redacted. */
	public List<String> stderrTail() {
		return this.tail.lines();
	}

	/** How many lines on stdout were not JSON-RPC messages. */
	public long invalidLineCount() {
		return this.stdoutDecoder.invalidLineCount();
	}

	/** How many messages were dropped for being over {@code max-message-size}. */
	public long oversizedMessageCount() {
		return this.stdoutDecoder.oversizedMessageCount();
	}

	/** How many requests are waiting for their response. */
	public int inFlightCount() {
		return this.inFlight.size();
	}

	@Override
	public <T> T unmarshalFrom(Object data, TypeRef<T> typeRef) {
		return this.jsonMapper.convertValue(data, typeRef);
	}

	private ManagedProcess process() {
		ManagedProcess child = this.process;
		if (child == null) {
			throw new IllegalStateException("MCP server '" + name() + "' is not connected");
		}
		return child;
	}

	private Thread startReader(String stream, Runnable body) {
		Thread thread = daemon(stream, body);
		thread.start();
		return thread;
	}

	private Thread daemon(String purpose, Runnable body) {
		Thread thread = new Thread(body, "mcp-stdio-" + name() + "-" + purpose);
		thread.setDaemon(true);
		return thread;
	}

	private static void join(@Nullable Thread thread, Duration timeout) {
		long millis = timeout.toMillis();
		if (thread == null || thread == Thread.currentThread() || millis <= 0) {
			return; // join(0) would wait for ever
		}
		try {
			thread.join(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static String describe(JSONRPCMessage message) {
		if (message instanceof JSONRPCRequest request) {
			return "request '" + request.method() + "'";
		}
		if (message instanceof McpSchema.JSONRPCNotification notification) {
			return "notification '" + notification.method() + "'";
		}
		return "response";
	}

	private enum State {

		NEW, STARTING, CONNECTED, STOPPING, EXITED, CLOSED

	}

}
