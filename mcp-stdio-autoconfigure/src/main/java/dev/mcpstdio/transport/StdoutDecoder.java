package dev.mcpstdio.transport;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.mcpstdio.transport.inflight.CancelledRequests;
import dev.mcpstdio.transport.inflight.InFlightRequest;
import dev.mcpstdio.transport.inflight.InFlightRequests;
import dev.mcpstdio.transport.observation.RequestObserver;
import dev.mcpstdio.transport.observation.RequestObserver.Outcome;
import dev.mcpstdio.transport.pipe.ControlCharacters;
import dev.mcpstdio.transport.pipe.LineReader;
import dev.mcpstdio.transport.pipe.Redactor;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCMessage;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCNotification;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the lines a child writes on stdout into JSON-RPC messages for the client. A line
 * that is not a JSON-RPC message is counted and logged; a response is passed on only if
 * its request is in flight, and completes it; a message over {@code max-message-size} is
 * dropped and, when it answers a request in flight, fails that request at once. Whatever
 * the child writes, nothing is thrown: the connection goes on.
 */
final class StdoutDecoder implements LineReader.Listener {

	private static final Logger logger = LoggerFactory.getLogger(StdoutDecoder.class);

	/** The id near the start of a JSON-RPC message, a string or a number. */
	private static final Pattern RESPONSE_ID = Pattern
		.compile("\"id\"\\s*:\\s*(?:\"((?:[^\"\\\\]|\\\\.)*)\"|(-?\\d+))");

	private final String server;

	private final int maxMessageSize;

	private final McpJsonMapper jsonMapper;

	private final InFlightRequests inFlight;

	private final CancelledRequests cancelled;

	private final ToolPolicy tools;

	private final boolean progressResetsTimeout;

	private final RequestObserver observer;

	private final Redactor redactor;

	private final Consumer<JSONRPCMessage> receiver;

	private final AtomicLong invalidLines = new AtomicLong();

	/** The first lines that were not JSON-RPC, redacted, for error messages. */
	private final List<String> firstInvalidLines = new CopyOnWriteArrayList<>();

	private static final int FIRST_INVALID_LINES = 3;

	private final AtomicLong oversizedLines = new AtomicLong();

	/**
	 * Creates a decoder.
	 * @param server the server's name
	 * @param maxMessageSize the limit the line reader applies, for the messages
	 * @param jsonMapper reads the messages
	 * @param inFlight the requests awaiting an answer
	 * @param cancelled the requests given up on, whose late answers and progress are
	 * dropped quietly
	 * @param tools the tools a tools/list answer keeps
	 * @param progressResetsTimeout whether a progress notification restarts its request's
	 * timeout
	 * @param observer told of every line that is not JSON-RPC; must not throw
	 * @param redactor masks secrets in what is logged
	 * @param receiver receives every message to pass on, and the errors made for dropped
	 * answers; must not throw
	 */
	StdoutDecoder(String server, int maxMessageSize, McpJsonMapper jsonMapper, InFlightRequests inFlight,
			CancelledRequests cancelled, ToolPolicy tools, boolean progressResetsTimeout, RequestObserver observer,
			Redactor redactor, Consumer<JSONRPCMessage> receiver) {
		this.server = server;
		this.maxMessageSize = maxMessageSize;
		this.jsonMapper = jsonMapper;
		this.inFlight = inFlight;
		this.cancelled = cancelled;
		this.tools = tools;
		this.progressResetsTimeout = progressResetsTimeout;
		this.observer = observer;
		this.redactor = redactor;
		this.receiver = receiver;
	}

	@Override
	public void onLine(byte[] bytes, int length) {
		if (isBlank(bytes, length)) {
			return;
		}
		String line = new String(bytes, 0, length, StandardCharsets.UTF_8);
		JSONRPCMessage message;
		try {
			message = McpSchema.deserializeJsonRpcMessage(this.jsonMapper, line);
		}
		catch (Exception ex) {
			long count = this.invalidLines.incrementAndGet();
			if (count <= FIRST_INVALID_LINES) {
				this.firstInvalidLines.add(redactedStart(line));
			}
			this.observer.invalidLine(this.server);
			logger.warn("MCP server '{}' wrote a line to stdout that is not a JSON-RPC message ({} so far): {}",
					this.server, count, redactedStart(line));
			return;
		}
		// the SDK refuses a response without an id: each one here has one
		if (message instanceof JSONRPCResponse response) {
			InFlightRequest request = this.inFlight.answered(response);
			if (request == null) {
				if (this.cancelled.hasId(response.id())) {
					logger.debug("MCP server '{}' answered request id {} after it was cancelled: dropped", this.server,
							escaped(response.id()));
				}
				else {
					logger.warn("MCP server '{}' answered request id {}, which is not in flight: ignored. It wrote: {}",
							this.server, escaped(response.id()), redactedStart(line));
				}
				return;
			}
			if (McpSchema.METHOD_TOOLS_LIST.equals(request.method()) && !this.tools.allowsAll()) {
				message = allowedTools(response);
			}
		}
		if (message instanceof JSONRPCNotification notification
				&& McpSchema.METHOD_NOTIFICATION_PROGRESS.equals(notification.method())
				&& notification.params() instanceof Map<?, ?> params && params.get("progressToken") != null) {
			Object token = params.get("progressToken");
			if (this.cancelled.hasProgressToken(token)) {
				logger.debug("MCP server '{}' reported progress {} of a cancelled request: dropped", this.server,
						escaped(token));
				return;
			}
			InFlightRequest request = this.inFlight.progressed(token, this.progressResetsTimeout);
			if (request != null && request.ownToken()) {
				return; // the starter asked for it: the client did not
			}
		}
		this.receiver.accept(message);
	}

	/** A tools/list answer with only the tools the policy allows. */
	private JSONRPCResponse allowedTools(JSONRPCResponse response) {
		if (!(response.result() instanceof Map<?, ?> result) || !(result.get("tools") instanceof List<?> tools)) {
			return response;
		}
		Map<Object, Object> filtered = new LinkedHashMap<>(result);
		filtered.put("tools",
				tools.stream()
					.filter((tool) -> !(tool instanceof Map<?, ?> described) || described.get("name") == null
							|| this.tools.allows(described.get("name").toString()))
					.toList());
		return new JSONRPCResponse(response.jsonrpc(), response.id(), filtered, response.error());
	}

	@Override
	public void onOversizedLine(String start, long length) {
		long count = this.oversizedLines.incrementAndGet();
		String what = "a message of " + length + " bytes, over max-message-size " + this.maxMessageSize;
		logger.error("MCP server '{}' wrote {}: dropped ({} so far). Raise max-message-size if such messages are"
				+ " expected. It began: {}", this.server, what, count, redactedStart(start));
		// a response that is dropped fails its request now rather than at its timeout
		Matcher id = RESPONSE_ID.matcher(start);
		if (!id.find()) {
			return;
		}
		InFlightRequest request = this.inFlight.complete((id.group(1) != null) ? id.group(1) : id.group(2),
				Outcome.ERROR);
		if (request != null) {
			String message = "MCP server '" + this.server + "' answered " + request.describe() + " with " + what
					+ "; the answer was dropped. Raise max-message-size if such answers are expected";
			this.receiver.accept(JSONRPCResponse.error(request.id(), new JSONRPCResponse.JSONRPCError(
					McpSchema.ErrorCodes.INTERNAL_ERROR, message, Map.of("server", this.server, "bytes", length))));
		}
	}

	/** How many lines were not JSON-RPC messages. */
	long invalidLineCount() {
		return this.invalidLines.get();
	}

	/** The first lines that were not JSON-RPC messages, redacted. */
	List<String> firstInvalidLines() {
		return List.copyOf(this.firstInvalidLines);
	}

	/** How many messages were dropped for being over {@code max-message-size}. */
	long oversizedMessageCount() {
		return this.oversizedLines.get();
	}

	/**
	 * The start of a line, for the log and errors: secrets redacted, control characters
	 * escaped.
	 */
	private String redactedStart(String text) {
		String start = (text.length() > 200) ? text.substring(0, 200) + "..." : text;
		return ControlCharacters.escape(this.redactor.redact(start));
	}

	/** An id or token the server sent, for the log. */
	private static String escaped(Object value) {
		return ControlCharacters.escape(String.valueOf(value));
	}

	private static boolean isBlank(byte[] bytes, int length) {
		for (int i = 0; i < length; i++) {
			if (!Character.isWhitespace(bytes[i])) {
				return false;
			}
		}
		return true;
	}

}
