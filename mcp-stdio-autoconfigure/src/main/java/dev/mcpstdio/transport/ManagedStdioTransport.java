package dev.mcpstdio.transport;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Function;

import dev.mcpstdio.process.ProcessLauncher;
import dev.mcpstdio.process.ProcessSpec;
import dev.mcpstdio.process.StopReport;
import dev.mcpstdio.process.container.Container;
import dev.mcpstdio.transport.ConnectionState.State;
import dev.mcpstdio.transport.error.McpStdioException;
import dev.mcpstdio.transport.inflight.ErrorResponses;
import dev.mcpstdio.transport.inflight.InFlightRequests;
import dev.mcpstdio.transport.inflight.RequestTimeouts;
import dev.mcpstdio.transport.observation.GuardedObserver;
import dev.mcpstdio.transport.observation.McpClientObservations;
import dev.mcpstdio.transport.observation.RequestObservations;
import dev.mcpstdio.transport.observation.RequestObserver;
import dev.mcpstdio.transport.observation.ServerRequestObservations;
import dev.mcpstdio.transport.pipe.ChildPipes;
import dev.mcpstdio.transport.pipe.Redactor;
import dev.mcpstdio.transport.pipe.StderrSink;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCMessage;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * An {@link McpClientTransport} over a child process that this transport launches and
 * owns: newline-delimited JSON-RPC on its stdin and stdout, writes serialized so any
 * number of threads may send at once, stdout lines bounded by {@code max-message-size},
 * stderr logged to {@code mcp.stdio.<name>} and kept as a tail. When the child exits,
 * every request in flight fails at once with the exit code and the stderr tail;
 * {@link #closeGracefully()} drains, then runs the stop ladder. What is here is its life:
 * connect, send, close. Its parts: the {@link ConnectionState}, the
 * {@link ConnectionChild} (launch, readers, exit), the {@link MessagePath} (the messages
 * out, and in to the {@link ClientInbox}), the {@link StderrSink}, the
 * {@link InFlightRequests} and the {@link ConnectionEnd}.
 */
public final class ManagedStdioTransport implements McpClientTransport {

	private final ProcessSpec spec;

	private final StdioTransportOptions options;

	private final McpJsonMapper jsonMapper;

	private final RequestTimeouts timeouts;

	private final StderrSink stderr;

	private final InFlightRequests inFlight;

	private final ConnectionState state = new ConnectionState();

	private final ConnectionEnd end;

	private final MessagePath path;

	private final ConnectionChild child;

	private final Object lifecycleLock = new Object();

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
		this(launcher, spec, options, jsonMapper, observer, McpClientObservations.NONE);
	}

	/**
	 * Creates a transport whose requests are observed, each also as a Micrometer
	 * observation; the child is launched on {@link #connect(Function)}.
	 * @param launcher launches the child
	 * @param spec what to launch
	 * @param options framing, logging and stop timeouts
	 * @param jsonMapper maps JSON-RPC messages
	 * @param observer told of every completed request
	 * @param observations the registry and convention of the requests' observations
	 */
	public ManagedStdioTransport(ProcessLauncher launcher, ProcessSpec spec, StdioTransportOptions options,
			McpJsonMapper jsonMapper, RequestObserver observer, McpClientObservations observations) {
		this(launcher, spec, options, jsonMapper, observer, observations, RequestTimeouts.shared());
	}

	ManagedStdioTransport(ProcessLauncher launcher, ProcessSpec spec, StdioTransportOptions options,
			McpJsonMapper jsonMapper, RequestObserver observer, RequestTimeouts timeouts) {
		this(launcher, spec, options, jsonMapper, observer, McpClientObservations.NONE, timeouts);
	}

	private ManagedStdioTransport(ProcessLauncher launcher, ProcessSpec spec, StdioTransportOptions options,
			McpJsonMapper jsonMapper, RequestObserver observer, McpClientObservations observations,
			RequestTimeouts timeouts) {
		this.spec = spec;
		this.options = options;
		this.jsonMapper = jsonMapper;
		this.timeouts = timeouts;
		Redactor redactor = new Redactor(spec.secretValues());
		RequestObserver guarded = new GuardedObserver(observer);
		RequestObservations requestObservations = new RequestObservations(spec.name(), observations, jsonMapper);
		ServerRequestObservations serverRequests = new ServerRequestObservations(spec.name(), observations);
		InFlightRequests requests = new InFlightRequests(spec.name(), guarded, timeouts::nanoTime,
				options.maxConcurrentRequests(), requestObservations);
		this.inFlight = requests;
		// a line of stderr is in the trace of the request in flight, if it is alone
		this.stderr = new StderrSink(spec.name(), options.stderrLevel(), options.stderrTailLines(), redactor,
				observations.registry().isNoop() ? () -> null : requests::soleObservation);
		ClientInbox inbox = new ClientInbox(spec.name(), serverRequests, requests);
		this.end = new ConnectionEnd(spec.name(), options, this.state, requests, this.stderr,
				new ErrorResponses(spec.name()), inbox::deliver);
		this.path = new MessagePath(spec.name(), options, jsonMapper, this.state, requests, this.end, this.stderr,
				this::pipes, requestObservations, serverRequests, inbox, guarded, redactor);
		this.child = new ConnectionChild(launcher, spec, options.maxMessageSize(), this.state, this.end,
				this.path.decoder(), this.stderr);
	}

	/** The name of the server. */
	public String name() {
		return this.spec.name();
	}

	@Override
	public Mono<Void> connect(Function<Mono<JSONRPCMessage>, Mono<JSONRPCMessage>> handler) {
		return Mono.fromRunnable(() -> {
			synchronized (this.lifecycleLock) {
				launch(handler);
			}
		});
	}

	private void launch(Function<Mono<JSONRPCMessage>, Mono<JSONRPCMessage>> handler) {
		if (!this.state.starting()) {
			throw new IllegalStateException("MCP server '" + name() + "': the transport was already connected");
		}
		this.path.connect(handler);
		this.child.launch();
		this.state.connected();
		if (!this.options.requestTimeout().isZero() || !this.options.tools().requestTimeouts().isEmpty()) {
			this.timeouts.watch(this.path.cancellations());
		}
		this.child.watchExit();
		this.end.stopped().whenComplete((report, error) -> {
			this.timeouts.unwatch(this.path.cancellations());
			this.path.ended();
		});
	}

	@Override
	public Mono<Void> sendMessage(JSONRPCMessage message) {
		return sendMessage(message, this.options.requestTimeout());
	}

	/**
	 * Sends a message; a request fails if not answered within the timeout, in place of
	 * {@code request-timeout}: what is left of a caller's deadline.
	 * @param message the message
	 * @param timeout how long a request may wait for its response, zero for ever
	 * @return completes when the message is written
	 */
	public Mono<Void> sendMessage(JSONRPCMessage message, Duration timeout) {
		return Mono.deferContextual((context) -> {
			this.path.send(message, timeout, context);
			return Mono.empty();
		});
	}

	/**
	 * Gives up on a request still in flight and tells the server so, once: a
	 * {@code notifications/cancelled} with its id and the reason (never for
	 * {@code initialize}, which the MCP specification says is not cancelled); its late
	 * answer and progress are then dropped quietly.
	 * @param id the request's JSON-RPC id
	 * @param reason why, for the server ({@code ping-timeout PT5S exceeded})
	 * @return whether it was in flight (false: answered, or cancelled, already)
	 */
	public boolean cancel(Object id, String reason) {
		return this.path.cancel(id, reason);
	}

	/**
	 * Hands the child's messages to the receiver (must not throw) from now on, in place
	 * of the client that connected: for a gateway that relays them as they are.
	 */
	public void relayTo(Consumer<JSONRPCMessage> receiver) {
		this.path.connect((message) -> message.doOnNext(receiver).then(Mono.empty()));
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
		return stop(this.options.drainTimeout());
	}

	/**
	 * Stops a connection whose start failed (its initialize will not be answered): the
	 * ladder runs without waiting for it; returns what the stop did.
	 */
	public StopReport abandon() {
		return stop(Duration.ZERO);
	}

	/**
	 * Stops as {@link #stop()} does, but returns at once: new requests are refused from
	 * this call on, and the rest of the stop runs on the executor.
	 * @param executor where the drain and the ladder run
	 * @return completes with what the stop did, once the child's process tree is gone
	 */
	public CompletableFuture<StopReport> stopInBackground(Executor executor) {
		if (refuseNewRequests()) {
			this.end.stopOn(executor, pipes(), this.options.drainTimeout());
		}
		return this.end.stopped();
	}

	private StopReport stop(Duration drainTimeout) {
		if (refuseNewRequests()) {
			ChildPipes current = pipes();
			this.end.stop(current.child(), current, drainTimeout);
		}
		return this.end.stopped().join();
	}

	/** Leaves CONNECTED for STOPPING; true if this call is the one that stops. */
	private boolean refuseNewRequests() {
		synchronized (this.lifecycleLock) {
			if (this.state.closeUnstarted()) {
				this.end.closedUnstarted();
			}
			return this.state.leaveConnected(State.STOPPING);
		}
	}

	/** The child's pid, or -1 before it started. */
	public long pid() {
		return this.child.pid();
	}

	/** The container the child runs, where it is a container engine's CLI. */
	public Optional<Container> container() {
		return this.child.container();
	}

	/**
	 * What confines the child ({@code bubblewrap}, {@code container}, {@code unavailable}
	 * or {@code off}), once it runs.
	 */
	public Optional<String> sandbox() {
		return this.child.sandbox();
	}

	/** How many requests wait for their turn under max-concurrent-requests. */
	public int waitingRequests() {
		return this.inFlight.turns().waiting();
	}

	/** The child's exit code, once it has exited. */
	public OptionalInt exitCode() {
		return this.child.exitCode();
	}

	/** Whether the connection is up: connected and neither stopping nor ended. */
	public boolean isConnected() {
		return this.state.isConnected();
	}

	/** Completes when the connection has ended and the child's tree is gone. */
	public CompletableFuture<StopReport> whenStopped() {
		return this.end.stopped().copy();
	}

	/** Why the connection ended, once it has. */
	public @Nullable McpStdioException terminalError() {
		return this.end.terminalError();
	}

	/** The last lines the child wrote to stderr, secrets redacted. */
	public List<String> stderrTail() {
		return this.stderr.tail();
	}

	/** How many lines on stdout were not JSON-RPC messages. */
	public long invalidLineCount() {
		return this.path.decoder().invalidLineCount();
	}

	/** The first lines on stdout that were not JSON-RPC messages, secrets redacted. */
	public List<String> firstInvalidLines() {
		return this.path.decoder().firstInvalidLines();
	}

	/** How many messages were dropped for being over {@code max-message-size}. */
	public long oversizedMessageCount() {
		return this.path.decoder().oversizedMessageCount();
	}

	/** How many requests are waiting for their response. */
	public int inFlightCount() {
		return this.inFlight.size();
	}

	@Override
	public <T> T unmarshalFrom(Object data, TypeRef<T> typeRef) {
		return this.jsonMapper.convertValue(data, typeRef);
	}

	private ChildPipes pipes() {
		return this.child.pipes();
	}

}
