package dev.mcpstdio.transport.observation;

import java.util.Map;

import io.micrometer.observation.transport.RequestReplyReceiverContext;
import org.jspecify.annotations.Nullable;

/**
 * The context of one request a server sends the client (sampling, elicitation, roots),
 * from its arrival until the client's answer leaves: a SERVER-kind context whose carrier
 * is the request's {@code params._meta}, so that a tracing bridge continues the trace the
 * server sent there.
 */
public class McpServerRequestContext extends RequestReplyReceiverContext<Map<String, Object>, Object> {

	private final String serverName;

	private final String method;

	private final String requestId;

	private volatile @Nullable String errorType;

	private volatile @Nullable String outcome;

	/**
	 * Creates the context of a request from a server.
	 * @param serverName the server's configured name
	 * @param method the request's method ({@code sampling/createMessage})
	 * @param requestId its JSON-RPC id
	 * @param meta the request's {@code _meta}, which may hold the server's trace context
	 */
	public McpServerRequestContext(String serverName, String method, String requestId, Map<String, Object> meta) {
		super((carrier, key) -> {
			Object value = carrier.get(key);
			return (value != null) ? value.toString() : null;
		});
		this.serverName = serverName;
		this.method = method;
		this.requestId = requestId;
		setCarrier(meta);
		setRemoteServiceName(serverName);
	}

	/** The server's configured name. */
	public String getServerName() {
		return this.serverName;
	}

	/** The request's method, such as {@code sampling/createMessage}. */
	public String getMethod() {
		return this.method;
	}

	/** The request's JSON-RPC id. */
	public String getRequestId() {
		return this.requestId;
	}

	/** The JSON-RPC error code of the client's answer, where it is an error. */
	public @Nullable String getErrorType() {
		return this.errorType;
	}

	/**
	 * Sets the error code of the client's answer.
	 * @param errorType the code
	 */
	public void setErrorType(@Nullable String errorType) {
		this.errorType = errorType;
	}

	/** {@code success} or {@code error} once the client answered; {@code null} before. */
	public @Nullable String getOutcome() {
		return this.outcome;
	}

	/**
	 * Sets how the client answered.
	 * @param outcome the outcome
	 */
	public void setOutcome(@Nullable String outcome) {
		this.outcome = outcome;
	}

}
