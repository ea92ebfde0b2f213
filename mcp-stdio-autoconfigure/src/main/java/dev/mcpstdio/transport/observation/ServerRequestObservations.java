package dev.mcpstdio.transport.observation;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCRequest;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCResponse;
import org.jspecify.annotations.Nullable;

/**
 * The observations of the requests one connection's server sends the client (sampling,
 * elicitation, roots): each from its arrival until the client's answer leaves, continuing
 * the trace the server sent in its {@code _meta}. With a no-op registry nothing is done.
 */
public final class ServerRequestObservations {

	private static final DefaultMcpServerRequestObservationConvention DEFAULT = new DefaultMcpServerRequestObservationConvention();

	private final String server;

	private final McpClientObservations observations;

	/** The observations of the server's requests the client has not answered, by id. */
	private final Map<String, Observation> received = new ConcurrentHashMap<>();

	public ServerRequestObservations(String server, McpClientObservations observations) {
		this.server = server;
		this.observations = observations;
	}

	/**
	 * A request of the server's arrived: it is observed until the client's answer leaves,
	 * continuing the trace the server sent in its {@code _meta}, if any.
	 * @param request the request
	 * @return its observation, or {@code null} where nothing observes
	 */
	public @Nullable Observation received(JSONRPCRequest request) {
		ObservationRegistry registry = this.observations.registry();
		if (registry.isNoop()) {
			return null;
		}
		Map<String, Object> meta = new LinkedHashMap<>();
		if (request.params() instanceof Map<?, ?> params && params.get("_meta") instanceof Map<?, ?> sent) {
			sent.forEach((key, value) -> meta.put(String.valueOf(key), value));
		}
		McpServerRequestContext context = new McpServerRequestContext(this.server, request.method(),
				String.valueOf(request.id()), meta);
		Observation observation = McpClientObservationDocumentation.SERVER_REQUEST
			.observation(this.observations.serverConvention(), DEFAULT, () -> context, registry)
			.start();
		if (observation.isNoop()) {
			// left out by the registry's predicates
			return null;
		}
		this.received.put(String.valueOf(request.id()), observation);
		return observation;
	}

	/** The client answered a request of the server's: its observation ends. */
	public void answered(JSONRPCResponse response) {
		if (this.received.isEmpty()) {
			return;
		}
		Observation observation = this.received.remove(String.valueOf(response.id()));
		if (observation == null) {
			return;
		}
		McpServerRequestContext context = (McpServerRequestContext) observation.getContext();
		if (response.error() != null) {
			context.setOutcome("error");
			context.setErrorType(Integer.toString(response.error().code()));
			context.setResponse(response.error());
			observation.error(new ObservedFailure(
					"MCP server '" + this.server + "': the client answered request '" + context.getMethod()
							+ "' with JSON-RPC error " + response.error().code() + ": " + response.error().message()));
		}
		else {
			context.setOutcome("success");
			context.setResponse(response.result());
		}
		observation.stop();
	}

	/** The connection ended: the server's requests still unanswered end unanswered. */
	public void ended() {
		this.received.values().forEach((observation) -> {
			((McpServerRequestContext) observation.getContext()).setOutcome("error");
			observation
				.error(new ObservedFailure(
						"MCP server '" + this.server + "': the connection ended before the client answered"))
				.stop();
		});
		this.received.clear();
	}

}
