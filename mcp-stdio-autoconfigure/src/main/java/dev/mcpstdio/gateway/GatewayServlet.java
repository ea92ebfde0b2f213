package dev.mcpstdio.gateway;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.mcpstdio.gateway.GatewayObserver.Outcome;
import dev.mcpstdio.server.McpStdioServers;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCMessage;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCNotification;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCRequest;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streamable HTTP at {@code base-path/NAME}: POST a message (a request is answered on an
 * SSE stream of its own, or as JSON to a client that accepts only JSON; a notification or
 * an answer gets 202), GET the session's stream ({@code Last-Event-ID} resumes one),
 * DELETE the session. Every request passes the {@link RequestChecks} first; what is not a
 * JSON-RPC message gets 400 and reaches no process.
 */
final class GatewayServlet extends HttpServlet {

	private static final Logger logger = LoggerFactory.getLogger(GatewayServlet.class);

	static final String SESSION_HEADER = "Mcp-Session-Id";

	private static final String VERSION_HEADER = "MCP-Protocol-Version";

	private final transient McpStdioServers servers;

	private final transient GatewaySessions sessions;

	private final transient GatewaySettings settings;

	private final transient Messages messages;

	private final transient RequestChecks checks;

	private final transient GatewayObserver observer;

	GatewayServlet(McpStdioServers servers, GatewaySessions sessions, GatewaySettings settings, Messages messages,
			GatewayObserver observer) {
		this.servers = servers;
		this.sessions = sessions;
		this.settings = settings;
		this.messages = messages;
		this.observer = observer;
		this.checks = new RequestChecks(settings.allowedHosts(), settings.allowedOrigins());
	}

	@Override
	protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
		try {
			handle(request, response);
		}
		catch (RuntimeException ex) {
			logger.warn("The MCP gateway failed to handle {} {}", request.getMethod(), request.getRequestURI(), ex);
			if (!response.isCommitted()) {
				fail(response, 500, McpSchema.ErrorCodes.INTERNAL_ERROR, "The gateway failed: " + ex.getMessage());
			}
		}
	}

	private void handle(HttpServletRequest request, HttpServletResponse response) throws IOException {
		String server = serverName(request);
		if (server == null) {
			fail(response, 404, McpSchema.ErrorCodes.INVALID_REQUEST, "No MCP server is served at "
					+ request.getRequestURI() + "; served: " + this.settings.basePath() + "/{" + served() + "}");
			return;
		}
		String refusal = this.checks.refusal(request);
		if (refusal != null) {
			rejected(server, "other");
			fail(response, 403, -32000, refusal);
			return;
		}
		switch (request.getMethod()) {
			case "POST" -> post(server, request, response);
			case "GET" -> get(server, request, response);
			case "DELETE" -> delete(server, request, response);
			default -> {
				rejected(server, "other");
				response.setHeader("Allow", "GET, POST, DELETE");
				fail(response, 405, -32000, "Method not allowed: " + request.getMethod());
			}
		}
	}

	private void post(String server, HttpServletRequest request, HttpServletResponse response) throws IOException {
		String version = request.getHeader(VERSION_HEADER);
		if (!ProtocolVersions.supported(version)) {
			rejected(server, "other");
			unsupportedVersion(response, version);
			return;
		}
		String body = body(request);
		if (body == null) {
			rejected(server, "other");
			fail(response, 413, McpSchema.ErrorCodes.INVALID_REQUEST, "The message is over mcp.stdio.gateway"
					+ ".max-message-size " + this.settings.maxMessageSize() + " bytes");
			return;
		}
		JSONRPCMessage message;
		try {
			message = this.messages.read(body);
		}
		catch (IllegalArgumentException ex) {
			rejected(server, "other");
			fail(response, 400, McpSchema.ErrorCodes.PARSE_ERROR, "Bad Request: " + ex.getMessage());
			return;
		}
		if (message instanceof JSONRPCRequest initialize && McpSchema.METHOD_INITIALIZE.equals(initialize.method())) {
			initialize(server, initialize, request, response);
			return;
		}
		String method = (message instanceof JSONRPCRequest call) ? call.method()
				: (message instanceof JSONRPCNotification notification) ? notification.method() : "response";
		GatewaySession session = session(server, method, request, response);
		if (session == null) {
			return;
		}
		if (!(message instanceof JSONRPCRequest call)) {
			session.fromClient(message);
			this.observer.request(server, GatewayObserver.method(method), Outcome.ACCEPTED);
			response.setStatus(HttpServletResponse.SC_ACCEPTED);
			return;
		}
		if (accepts(request, "text/event-stream")) {
			String stream = session.streams().nextStream();
			SseStream sse = SseStream.start(stream, request, response);
			if (ProtocolVersions.primes(session.protocolVersion())) {
				sse.prime(SessionStreams.primingId(stream), GatewaySession.RETRY);
			}
			session.request(call, sse);
		}
		else {
			session.request(call, new JsonReply(request, response));
		}
	}

	private void initialize(String server, JSONRPCRequest request, HttpServletRequest http,
			HttpServletResponse response) throws IOException {
		Map<?, ?> params = (request.params() instanceof Map<?, ?> map) ? map : Map.of();
		String negotiated = ProtocolVersions.negotiate(params.get("protocolVersion"));
		Map<?, ?> capabilities = (params.get("capabilities") instanceof Map<?, ?> map) ? map : Map.of();
		GatewaySession session;
		try {
			session = this.sessions.open(server, http.getUserPrincipal(), negotiated, capabilities);
		}
		catch (GatewaySessions.Refused ex) {
			this.observer.request(server, McpSchema.METHOD_INITIALIZE, Outcome.UNAVAILABLE);
			response.setHeader("Retry-After", "1");
			fail(response, ex.status(), -32000, "MCP server '" + server + "': no session opened: " + ex.getMessage());
			return;
		}
		catch (RuntimeException ex) {
			logger.warn("MCP server '{}': a gateway session could not open: {}", server, ex.getMessage());
			this.observer.request(server, McpSchema.METHOD_INITIALIZE, Outcome.ERROR);
			write(response, 500,
					this.messages.error(request.id(), McpSchema.ErrorCodes.INTERNAL_ERROR, ex.getMessage()));
			return;
		}
		Map<String, Object> result = new LinkedHashMap<>(session.initializeResult());
		result.put("protocolVersion", negotiated);
		response.setHeader(SESSION_HEADER, session.id());
		this.observer.request(server, McpSchema.METHOD_INITIALIZE, Outcome.SUCCESS);
		write(response, 200, this.messages.result(request.id(), result));
	}

	private void get(String server, HttpServletRequest request, HttpServletResponse response) throws IOException {
		if (!accepts(request, "text/event-stream")) {
			rejected(server, "GET");
			fail(response, 406, -32000, "Not Acceptable: the GET stream needs Accept: text/event-stream");
			return;
		}
		GatewaySession session = session(server, "GET", request, response);
		if (session != null) {
			this.observer.request(server, "GET", Outcome.SUCCESS);
			session.openGetStream(SseStream.start("g", request, response), request.getHeader("Last-Event-ID"));
		}
	}

	private void delete(String server, HttpServletRequest request, HttpServletResponse response) throws IOException {
		GatewaySession session = session(server, "DELETE", request, response);
		if (session != null) {
			this.observer.request(server, "DELETE", Outcome.SUCCESS);
			session.end();
			response.setStatus(HttpServletResponse.SC_OK);
		}
	}

	/**
	 * The request's session; null, with 400 or 404 answered, if it has none open with
	 * this server (a session of another server's is unknown here).
	 */
	private @Nullable GatewaySession session(String server, String method, HttpServletRequest request,
			HttpServletResponse response) throws IOException {
		String id = request.getHeader(SESSION_HEADER);
		if (id == null) {
			rejected(server, method);
			fail(response, 400, -32000, "Bad Request: no Mcp-Session-Id header; initialize first");
			return null;
		}
		GatewaySession session = this.sessions.get(id, subject(request));
		if (session == null || session.isEnded() || !session.server().equals(server)) {
			rejected(server, method);
			fail(response, 404, -32001, "Session not found: it ended or never existed; initialize again");
			return null;
		}
		return session;
	}

	/**
	 * The authenticated caller (Spring Security's, or the container's), null for none.
	 */
	private static @Nullable String subject(HttpServletRequest request) {
		Principal principal = request.getUserPrincipal();
		return (principal != null) ? principal.getName() : null;
	}

	private void rejected(String server, String method) {
		this.observer.request(server, GatewayObserver.method(method), Outcome.REJECTED);
	}

	private @Nullable String serverName(HttpServletRequest request) {
		String path = request.getPathInfo();
		if (path == null || path.length() < 2 || path.indexOf('/', 1) >= 0) {
			return null;
		}
		String name = path.substring(1);
		return (this.settings.serves(name) && this.servers.names().contains(name)) ? name : null;
	}

	private String served() {
		return String.join(",", this.servers.names().stream().filter(this.settings::serves).toList());
	}

	/** The body, or null when it is over max-message-size. */
	private @Nullable String body(HttpServletRequest request) throws IOException {
		int max = this.settings.maxMessageSize();
		if (request.getContentLengthLong() > max) {
			return null;
		}
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		byte[] buffer = new byte[8192];
		try (InputStream in = request.getInputStream()) {
			for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
				bytes.write(buffer, 0, read);
				if (bytes.size() > max) {
					return null;
				}
			}
		}
		return bytes.toString(StandardCharsets.UTF_8);
	}

	private static boolean accepts(HttpServletRequest request, String type) {
		String accept = request.getHeader("Accept");
		return accept != null && (accept.contains(type) || accept.contains("*/*"));
	}

	private void unsupportedVersion(HttpServletResponse response, @Nullable String version) throws IOException {
		write(response, 400,
				this.messages.error(McpSchema.ErrorCodes.INVALID_PARAMS,
						"Unsupported protocol version: " + version + " (supported versions: "
								+ String.join(", ", ProtocolVersions.SUPPORTED) + ")",
						Map.of("supported", ProtocolVersions.SUPPORTED, "requested", String.valueOf(version))));
	}

	private void fail(HttpServletResponse response, int status, int code, String message) throws IOException {
		write(response, status, this.messages.error(code, message, null));
	}

	private void write(HttpServletResponse response, int status, Object message) throws IOException {
		byte[] body = this.messages.write(message).getBytes(StandardCharsets.UTF_8);
		response.setStatus(status);
		response.setContentType("application/json");
		response.setContentLength(body.length);
		response.getOutputStream().write(body);
	}

}
