package dev.mcpstdio.transport.observation;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.function.Supplier;

import dev.mcpstdio.transport.error.McpStdioException;
import dev.mcpstdio.transport.error.McpStdioTimeoutException;
import dev.mcpstdio.transport.observation.RequestObserver.Outcome;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCRequest;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCResponse;
import org.jspecify.annotations.Nullable;
import reactor.util.context.ContextView;

/**
 * The observations of one connection's requests: each request is observed from the moment
 * it is sent until it leaves, as a child of its caller's observation, with the trace
 * context put in its {@code params._meta} by whatever tracing bridge observes it. With a
 * no-op registry nothing is done.
 */
public final class RequestObservations {

	private static final DefaultMcpClientObservationConvention DEFAULT = new DefaultMcpClientObservationConvention();

	private static final TypeRef<Map<String, Object>> MAP = new TypeRef<>() {
	};

	private final String server;

	private final McpClientObservations observations;

	private final McpJsonMapper jsonMapper;

	/** The protocol version the server agreed to in its initialize answer. */
	private volatile @Nullable String protocolVersion;

	public RequestObservations(String server, McpClientObservations observations, McpJsonMapper jsonMapper) {
		this.server = server;
		this.observations = observations;
		this.jsonMapper = jsonMapper;
	}

	/**
	 * The observation a request sent now is a child of: the one in the caller's Reactor
	 * context, or else the current one of this thread.
	 */
	public @Nullable Observation parent(ContextView context) {
		ObservationRegistry registry = this.observations.registry();
		if (registry.isNoop()) {
			return null;
		}
		Object inContext = context.getOrDefault(ObservationThreadLocalAccessor.KEY, null);
		return (inContext instanceof Observation observation) ? observation : registry.getCurrentObservation();
	}

	/**
	 * Starts observing a request.
	 * @param request the request as it goes out
	 * @param tool the tool it calls, if it is a tools/call
	 * @param parent the caller's observation, if any
	 * @return the request, with the trace context in its {@code _meta} where a bridge put
	 * one there, and its observation ({@code null} where nothing observes)
	 */
	public Started start(JSONRPCRequest request, @Nullable String tool, @Nullable Observation parent) {
		ObservationRegistry registry = this.observations.registry();
		if (registry.isNoop()) {
			return new Started(request, null);
		}
		Map<String, Object> meta = new LinkedHashMap<>();
		McpClientRequestContext context = new McpClientRequestContext(this.server, request.method(),
				String.valueOf(request.id()), tool, param(request, McpSchema.METHOD_PROMPT_GET, "name"),
				param(request, null, "uri"), meta);
		context.setProtocolVersion(this.protocolVersion);
		Observation observation = McpClientObservationDocumentation.REQUEST
			.observation(this.observations.convention(), DEFAULT, () -> context, registry)
			.parentObservation(parent)
			.start();
		if (observation.isNoop()) {
			// left out by the registry's predicates
			return new Started(request, null);
		}
		return new Started(meta.isEmpty() ? request : withMeta(request, meta), observation);
	}

	/**
	 * A request failed before it was in flight (refused, no turn in time, not written).
	 */
	public void failed(@Nullable Observation observation, RuntimeException ex) {
		if (observation != null) {
			McpClientRequestContext context = (McpClientRequestContext) observation.getContext();
			context.setErrorType(ex.getClass().getName());
			context.setOutcome(((ex instanceof McpStdioTimeoutException) ? Outcome.TIMEOUT : Outcome.ERROR).name()
				.toLowerCase(Locale.ROOT));
			observation.error(ex).stop();
		}
	}

	/**
	 * A request left: answered (the response), or not (timed out, cancelled, failed).
	 * @param method its method
	 * @param described the request as errors name it, asked for only where it failed and
	 * is observed
	 * @param observation its observation, if it is observed
	 * @param outcome how it ended
	 * @param response its answer, if one came
	 */
	public void left(String method, Supplier<String> described, @Nullable Observation observation, Outcome outcome,
			@Nullable JSONRPCResponse response) {
		if (response != null && McpSchema.METHOD_INITIALIZE.equals(method)
				&& response.result() instanceof Map<?, ?> result && result.get("protocolVersion") != null) {
			this.protocolVersion = String.valueOf(result.get("protocolVersion"));
		}
		if (observation == null) {
			return;
		}
		McpClientRequestContext context = (McpClientRequestContext) observation.getContext();
		if (context.getProtocolVersion() == null) {
			context.setProtocolVersion(this.protocolVersion);
		}
		context.setOutcome(outcome.name().toLowerCase(Locale.ROOT));
		String errorType = errorType(outcome, response);
		if (response != null) {
			context.setResponse((response.error() != null) ? response.error() : response.result());
		}
		if (errorType != null) {
			context.setErrorType(errorType);
			observation.error(new ObservedFailure("MCP server '" + this.server + "': " + described.get() + " "
					+ failure(outcome, errorType, response)));
		}
		observation.stop();
	}

	/**
	 * Why a request failed: the JSON-RPC error's code, {@code tool_error} for a result
	 * with {@code isError}, the type of the exception its timeout, cancellation or end
	 * stands for; {@code null} where it did not.
	 */
	private static @Nullable String errorType(Outcome outcome, @Nullable JSONRPCResponse response) {
		if (response != null && response.error() != null) {
			return Integer.toString(response.error().code());
		}
		return switch (outcome) {
			case SUCCESS -> (response != null && response.result() instanceof Map<?, ?> result
					&& Boolean.TRUE.equals(result.get("isError"))) ? "tool_error" : null;
			case TIMEOUT -> McpStdioTimeoutException.class.getName();
			case CANCELLED -> CancellationException.class.getName();
			case ERROR -> McpStdioException.class.getName();
		};
	}

	private static String failure(Outcome outcome, String errorType, @Nullable JSONRPCResponse response) {
		if (response != null && response.error() != null) {
			return "was answered with JSON-RPC error " + errorType + ": " + response.error().message();
		}
		return switch (outcome) {
			case SUCCESS -> "was answered with a result that is an error (isError)";
			case TIMEOUT -> "timed out";
			case CANCELLED -> "was cancelled: its caller gave up";
			case ERROR -> "ended unanswered: the server exited, or the connection closed";
		};
	}

	/** A string param of a request, for the method given (any where null). */
	private static @Nullable String param(JSONRPCRequest request, @Nullable String method, String name) {
		if (method != null && !method.equals(request.method())) {
			return null;
		}
		Object params = request.params();
		Object value = (params instanceof Map<?, ?> map) ? map.get(name)
				: (params instanceof McpSchema.GetPromptRequest prompt && "name".equals(name)) ? prompt.name()
						: (params instanceof McpSchema.ReadResourceRequest read && "uri".equals(name)) ? read.uri()
								: (params instanceof McpSchema.SubscribeRequest subscribe && "uri".equals(name))
										? subscribe.uri() : null;
		return (value != null) ? value.toString() : null;
	}

	/** The request with entries added to its {@code params._meta}. */
	private JSONRPCRequest withMeta(JSONRPCRequest request, Map<String, Object> entries) {
		if (request.params() instanceof McpSchema.CallToolRequest call) {
			// the most frequent: kept typed, without a round trip through a map
			Map<String, Object> meta = new LinkedHashMap<>();
			if (call.meta() != null) {
				meta.putAll(call.meta());
			}
			meta.putAll(entries);
			return new JSONRPCRequest(request.jsonrpc(), request.method(), request.id(),
					new McpSchema.CallToolRequest(call.name(), call.arguments(), meta));
		}
		Map<String, Object> params = new LinkedHashMap<>();
		if (request.params() != null) {
			params.putAll(this.jsonMapper.convertValue(request.params(), MAP));
		}
		Map<String, Object> meta = new LinkedHashMap<>();
		if (params.get("_meta") instanceof Map<?, ?> existing) {
			existing.forEach((key, value) -> meta.put(String.valueOf(key), value));
		}
		meta.putAll(entries);
		params.put("_meta", meta);
		return new JSONRPCRequest(request.jsonrpc(), request.method(), request.id(), params);
	}

	/**
	 * A request as it goes out and its observation.
	 *
	 * @param request the request, with the trace context where there is one
	 * @param observation its observation, or {@code null} where nothing observes
	 */
	public record Started(JSONRPCRequest request, @Nullable Observation observation) {

	}

}
