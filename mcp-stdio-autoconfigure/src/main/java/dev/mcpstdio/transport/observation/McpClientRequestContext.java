package dev.mcpstdio.transport.observation;

import java.util.Map;

import io.micrometer.observation.transport.RequestReplySenderContext;
import org.jspecify.annotations.Nullable;

/**
 * The context of one MCP request the starter sends to a server: what it is and how it
 * ended. Its carrier is the request's {@code params._meta}, so that a tracing bridge puts
 * the trace context ({@code traceparent}, {@code tracestate}, {@code baggage}) where the
 * MCP specification reserves it; its response is the JSON-RPC result or error, where one
 * came.
 */
public class McpClientRequestContext extends RequestReplySenderContext<Map<String, Object>, Object> {

	private final String serverName;

	private final String method;

	private final String requestId;

	private final @Nullable String toolName;

	private final @Nullable String promptName;

	private final @Nullable String resourceUri;

	private volatile @Nullable String protocolVersion;

	private volatile @Nullable String errorType;

	private volatile @Nullable String outcome;

	/**
	 * Creates the context of a request.
	 * @param serverName the server's configured name
	 * @param method the request's method ({@code tools/call})
	 * @param requestId its JSON-RPC id
	 * @param toolName the tool a tools/call calls
	 * @param promptName the prompt a prompts/get gets
	 * @param resourceUri the resource a resources/read (or a subscription) names
	 * @param meta the request's {@code _meta}, which the trace context is put in
	 */
	public McpClientRequestContext(String serverName, String method, String requestId, @Nullable String toolName,
			@Nullable String promptName, @Nullable String resourceUri, Map<String, Object> meta) {
		super((carrier, key, value) -> {
			if (carrier != null) {
				carrier.put(key, value);
			}
		});
		this.serverName = serverName;
		this.method = method;
		this.requestId = requestId;
		this.toolName = toolName;
		this.promptName = promptName;
		this.resourceUri = resourceUri;
		setCarrier(meta);
		setRemoteServiceName(serverName);
	}

	/** The server's configured name. */
	public String getServerName() {
		return this.serverName;
	}

	/** The request's method, such as {@code tools/call}. */
	public String getMethod() {
		return this.method;
	}

	/** The request's JSON-RPC id. */
	public String getRequestId() {
		return this.requestId;
	}

	/** The tool a tools/call calls, if this is one. */
	public @Nullable String getToolName() {
		return this.toolName;
	}

	/** The prompt a prompts/get gets, if this is one. */
	public @Nullable String getPromptName() {
		return this.promptName;
	}

	/** The resource the request names, if it names one. */
	public @Nullable String getResourceUri() {
		return this.resourceUri;
	}

	/** The protocol version the server agreed to, once it initialized. */
	public @Nullable String getProtocolVersion() {
		return this.protocolVersion;
	}

	/**
	 * Sets the protocol version the server agreed to.
	 * @param protocolVersion the version
	 */
	public void setProtocolVersion(@Nullable String protocolVersion) {
		this.protocolVersion = protocolVersion;
	}

	/**
	 * Why the request failed: the JSON-RPC error code, {@code tool_error} for a tool's
	 * result with {@code isError}, or the type of the exception (a timeout, a
	 * cancellation, the server's exit); {@code null} while it has not failed.
	 */
	public @Nullable String getErrorType() {
		return this.errorType;
	}

	/**
	 * Sets why the request failed.
	 * @param errorType the error's type
	 */
	public void setErrorType(@Nullable String errorType) {
		this.errorType = errorType;
	}

	/**
	 * How the request ended: {@code success}, {@code error}, {@code timeout} or
	 * {@code cancelled}; {@code null} while it is in flight.
	 */
	public @Nullable String getOutcome() {
		return this.outcome;
	}

	/**
	 * Sets how the request ended.
	 * @param outcome the outcome
	 */
	public void setOutcome(@Nullable String outcome) {
		this.outcome = outcome;
	}

}
