package dev.mcpstdio.server;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;

import dev.mcpstdio.transport.ManagedStdioTransport;
import dev.mcpstdio.transport.error.McpStdioException;
import dev.mcpstdio.transport.pipe.ControlCharacters;
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
 * The keep-alive server's own conversation with each of its processes: it connects the
 * transport, initializes the process, tells it the logging level its clients set on the
 * previous ones, and sends the requests of the server's own (initialize, ping,
 * tools/list), whose answers, late ones included, it takes out of the stream before the
 * shared client sees it.
 */
final class Handshake {

	private static final Logger logger = LoggerFactory.getLogger(Handshake.class);

	/** How the ids of the server's own requests begin; the clients' never do. */
	private static final String OWN_ID_PREFIX = "mcp-stdio-";

	private final String name;

	private final ServerErrors errors;

	private final McpJsonMapper jsonMapper;

	private final Clock clock;

	private final Map<String, CompletableFuture<JSONRPCResponse>> ownRequests = new ConcurrentHashMap<>();

	private final AtomicLong requestIds = new AtomicLong();

	private final McpSyncClient client;

	private final Supplier<@Nullable Object> loggingLevel;

	/**
	 * Creates the handshake of a server.
	 * @param name the server's name
	 * @param errors the server's exceptions
	 * @param jsonMapper maps the results
	 * @param clock the time of starts
	 * @param client the shared client, whose capabilities and client info each process is
	 * initialized with
	 * @param loggingLevel the params of the clients' last {@code logging/setLevel}, or
	 * null
	 */
	Handshake(String name, ServerErrors errors, McpJsonMapper jsonMapper, Clock clock, McpSyncClient client,
			Supplier<@Nullable Object> loggingLevel) {
		this.client = client;
		this.loggingLevel = loggingLevel;
		this.name = name;
		this.errors = errors;
		this.jsonMapper = jsonMapper;
		this.clock = clock;
	}

	/**
	 * Connects the transport and initializes its process.
	 * @param transport the new process's transport
	 * @param timeout {@code initialize-timeout}
	 * @param others where every other message of the process goes
	 * @return the initialized process
	 * @throws McpStdioException if it does not answer in time or answers with an error
	 */
	Generation initialize(ManagedStdioTransport transport, Duration timeout, Consumer<JSONRPCMessage> others) {
		transport.connect((messages) -> messages.doOnNext((message) -> {
			if (!accept(message)) {
				others.accept(message);
			}
		}).then(Mono.empty())).block();
		List<String> versions = transport.protocolVersions();
		McpSchema.InitializeRequest request = McpSchema.InitializeRequest
			.builder(versions.get(versions.size() - 1), this.client.getClientCapabilities(),
					this.client.getClientInfo())
			.build();
		JSONRPCResponse response = request(transport, McpSchema.METHOD_INITIALIZE, request, timeout,
				"initialize-timeout");
		if (response.error() != null) {
			String message = ControlCharacters.escape(response.error().message());
			if (!message.contains("MCP server '" + this.name + "'")) {
				message = McpStdioException.withTail("MCP server '" + this.name + "': initialize failed: " + message,
						transport.stderrTail());
			}
			throw new McpStdioException(this.name, message,
					transport.exitCode().isPresent() ? transport.exitCode().getAsInt() : null, transport.stderrTail());
		}
		McpSchema.InitializeResult result = this.jsonMapper.convertValue(response.result(),
				McpSchema.InitializeResult.class);
		transport
			.sendMessage(new McpSchema.JSONRPCNotification(McpSchema.JSONRPC_VERSION,
					McpSchema.METHOD_NOTIFICATION_INITIALIZED, null))
			.block();
		if (result.capabilities() != null && result.capabilities().logging() != null) {
			replayLoggingLevel(transport, timeout);
		}
		return new Generation(transport, response.result(), result, this.clock.instant());
	}

	/**
	 * Tells a new process that declares logging the level the clients set on the previous
	 * ones, before any caller's request reaches it; a process that refuses it still
	 * serves.
	 */
	private void replayLoggingLevel(ManagedStdioTransport transport, Duration timeout) {
		Object level = this.loggingLevel.get();
		if (level == null) {
			return;
		}
		try {
			JSONRPCResponse response = request(transport, McpSchema.METHOD_LOGGING_SET_LEVEL, level, timeout,
					"initialize-timeout");
			if (response.error() != null) {
				logger.warn("MCP server '{}' refused the logging level its clients had set ({}): {}", this.name, level,
						ControlCharacters.escape(response.error().message()));
			}
		}
		catch (McpStdioException ex) {
			if (transport.terminalError() != null) {
				throw ex; // it exited: the start failed
			}
			logger.warn("MCP server '{}': the logging level its clients had set was not set again: {}", this.name,
					ex.getMessage());
		}
	}

	/**
	 * Sends a request of the server's own and waits for its answer.
	 * @param transport the process's transport
	 * @param method the method
	 * @param params its parameters
	 * @param timeout how long to wait
	 * @param timeoutProperty the property that set the timeout, for the error
	 * @return the answer
	 * @throws McpStdioException if there is none in time
	 */
	JSONRPCResponse request(ManagedStdioTransport transport, String method, @Nullable Object params, Duration timeout,
			String timeoutProperty) {
		String id = OWN_ID_PREFIX + method + "-" + this.requestIds.incrementAndGet();
		CompletableFuture<JSONRPCResponse> answer = new CompletableFuture<>();
		this.ownRequests.put(id, answer);
		try {
			transport.sendMessage(new McpSchema.JSONRPCRequest(McpSchema.JSONRPC_VERSION, method, id, params)).block();
			return answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (TimeoutException ex) {
			if (!McpSchema.METHOD_INITIALIZE.equals(method)) {
				// the server is told, and its late answer is dropped quietly
				transport.cancel(id, timeoutProperty + " " + timeout + " exceeded");
			}
			throw this.errors.unanswered(method, timeoutProperty, timeout, transport);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new McpStdioException(this.name,
					"MCP server '" + this.name + "': interrupted during '" + method + "'", ex);
		}
		catch (ExecutionException ex) {
			throw new McpStdioException(this.name, "MCP server '" + this.name + "': '" + method + "' failed",
					ex.getCause());
		}
		finally {
			this.ownRequests.remove(id);
		}
	}

	/** Takes the answer to a request of the server's own; false for any other message. */
	private boolean accept(JSONRPCMessage message) {
		if (message instanceof JSONRPCResponse response) {
			String id = String.valueOf(response.id());
			CompletableFuture<JSONRPCResponse> own = this.ownRequests.remove(id);
			if (own != null) {
				own.complete(response);
				return true;
			}
			if (id.startsWith(OWN_ID_PREFIX)) {
				// answered after its timeout: no client sent it
				logger.debug("MCP server '{}' answered {} after its timeout", this.name, id);
				return true;
			}
		}
		return false;
	}

}
