package dev.mcpstdio.server;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

import dev.mcpstdio.process.ProcessLauncher;
import dev.mcpstdio.process.platform.DaemonThreads;
import dev.mcpstdio.transport.CallingThread;
import dev.mcpstdio.transport.ManagedStdioTransport;
import dev.mcpstdio.transport.StdioTransportOptions;
import dev.mcpstdio.transport.observation.McpClientObservations;
import dev.mcpstdio.transport.observation.RequestObserver;
import io.modelcontextprotocol.client.McpAsyncClient;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;

/**
 * What every managed server of a registry shares: the launcher, the JSON mapper, the
 * clock, a timer for backoffs and idle checks, and daemon workers for blocking starts and
 * stops.
 */
final class ServerRuntime {

	private static final String VERSION = "0.1.0";

	final ProcessLauncher launcher;

	final McpJsonMapper jsonMapper;

	final Clock clock;

	final ScheduledExecutorService timer;

	final ExecutorService workers;

	/** Runs timed tasks (backoffs, idle checks, pings) on the workers. */
	final Scheduler scheduler;

	private final List<RequestObserver> observers = new CopyOnWriteArrayList<>();

	private final List<BiConsumer<String, List<McpSchema.Tool>>> toolsListeners = new CopyOnWriteArrayList<>();

	/** Tells every added observer. */
	private final RequestObserver observer = new RequestObserver() {

		@Override
		public void requestCompleted(String server, String method, Duration duration, Outcome outcome) {
			ServerRuntime.this.observers.forEach((each) -> each.requestCompleted(server, method, duration, outcome));
		}

		@Override
		public void invalidLine(String server) {
			ServerRuntime.this.observers.forEach((each) -> each.invalidLine(server));
		}

	};

	private final McpStdioClientCustomizer customizer;

	/** How the requests of every server are observed. */
	final McpClientObservations observations;

	ServerRuntime(ProcessLauncher launcher, McpJsonMapper jsonMapper, Clock clock, McpStdioClientCustomizer customizer,
			McpClientObservations observations) {
		this.launcher = launcher;
		this.observations = observations;
		this.customizer = customizer;
		this.jsonMapper = jsonMapper;
		this.clock = clock;
		ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1,
				DaemonThreads.factory("mcp-stdio-timer"));
		timer.setRemoveOnCancelPolicy(true);
		this.timer = timer;
		this.workers = Executors.newCachedThreadPool(DaemonThreads.factory("mcp-stdio-worker-"));
		this.scheduler = (delay, task) -> timer.schedule(() -> this.workers.execute(task),
				Math.max(1, delay.toMillis()), TimeUnit.MILLISECONDS);
	}

	/**
	 * The transport's own request timeout fails an overdue request with an error that
	 * names the server, the method and the timeout; the client's, later by this margin,
	 * is a backstop.
	 */
	private static final Duration CLIENT_TIMEOUT_MARGIN = Duration.ofSeconds(5);

	/**
	 * The shared client of a keep-alive server. Its {@code initialize} is answered by the
	 * connection once a process is ready, so it waits as long as any request may (a
	 * restart's backoff can outlast {@code initialize-timeout}).
	 */
	McpSyncClient sharedClient(McpClientTransport connection, ServerDefinition definition) {
		return client(connection, definition, clientTimeout(definition));
	}

	/** The client of one session's own process, which initializes it. */
	McpSyncClient sessionClient(McpClientTransport transport, ServerDefinition definition) {
		return client(transport, definition, definition.initializeTimeout());
	}

	private McpSyncClient client(McpClientTransport transport, ServerDefinition definition,
			Duration initializationTimeout) {
		String name = definition.name();
		McpClient.SyncSpec spec = McpClient.sync(transport)
			.clientInfo(clientInfo(name))
			.requestTimeout(clientTimeout(definition))
			.initializationTimeout(initializationTimeout)
			.toolsChangeConsumer((tools) -> toolsChanged(name, tools))
			// the caller's thread, so that an interrupt of it cancels its request
			.transportContextProvider(CallingThread.provider());
		this.customizer.customize(name, spec);
		return spec.build();
	}

	/**
	 * The client's own timeouts: the longest a request may take (the server's
	 * request-timeout, a tool's own, or max-request-timeout where progress restarts
	 * timeouts) and the margin; the transport applies each request's own.
	 */
	private static Duration clientTimeout(ServerDefinition definition) {
		StdioTransportOptions options = definition.transportOptions();
		Duration longest = definition.requestTimeout();
		for (Duration candidate : options.tools().requestTimeouts().values()) {
			longest = (candidate.compareTo(longest) > 0) ? candidate : longest;
		}
		Duration cap = options.progress().maxRequestTimeout();
		if (options.progress().resetsTimeout() && cap.compareTo(longest) > 0) {
			longest = cap;
		}
		return longest.plus(CLIENT_TIMEOUT_MARGIN);
	}

	/** The shared async client of a keep-alive server, initialized as the sync one. */
	McpAsyncClient asyncClient(McpClientTransport connection, ServerDefinition definition) {
		String name = definition.name();
		McpClient.AsyncSpec spec = McpClient.async(connection)
			.clientInfo(clientInfo(name))
			.requestTimeout(clientTimeout(definition))
			.initializationTimeout(clientTimeout(definition));
		this.customizer.customize(name, spec);
		return spec.build();
	}

	/** The client info of a server's clients: the title carries the server's name. */
	private static McpSchema.Implementation clientInfo(String server) {
		return McpSchema.Implementation.builder("mcp-stdio - " + server, VERSION).title(server).build();
	}

	/** A transport for one process of the server, with the server's request timeout. */
	ManagedStdioTransport transport(ServerDefinition definition) {
		return new ManagedStdioTransport(this.launcher, definition.processSpec(), definition.transportOptions(),
				this.jsonMapper, this.observer, this.observations);
	}

	void addObserver(RequestObserver observer) {
		this.observers.add(observer);
	}

	void addToolsListener(BiConsumer<String, List<McpSchema.Tool>> listener) {
		this.toolsListeners.add(listener);
	}

	private void toolsChanged(String server, List<McpSchema.Tool> tools) {
		this.toolsListeners.forEach((listener) -> listener.accept(server, tools));
	}

	void shutdown() {
		this.timer.shutdownNow();
		this.workers.shutdown();
	}

}
