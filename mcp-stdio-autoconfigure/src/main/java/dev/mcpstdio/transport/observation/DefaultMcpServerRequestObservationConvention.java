package dev.mcpstdio.transport.observation;

import io.micrometer.common.KeyValues;

import dev.mcpstdio.transport.observation.McpClientObservationDocumentation.HighCardinalityKeys;
import dev.mcpstdio.transport.observation.McpClientObservationDocumentation.LowCardinalityKeys;

import static dev.mcpstdio.transport.observation.DefaultMcpClientObservationConvention.orNone;

/**
 * The default convention of the observations of the requests servers send the client:
 * named {@code mcp.stdio.server.requests}, its span named after the method
 * ({@code sampling/createMessage}), with the keys of the client's own requests that
 * apply.
 */
public class DefaultMcpServerRequestObservationConvention implements McpServerRequestObservationConvention {

	/** The name of the observations, and of their timer. */
	public static final String NAME = "mcp.stdio.server.requests";

	@Override
	public String getName() {
		return NAME;
	}

	@Override
	public String getContextualName(McpServerRequestContext context) {
		return context.getMethod();
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(McpServerRequestContext context) {
		return KeyValues.of(LowCardinalityKeys.METHOD_NAME.withValue(context.getMethod()),
				LowCardinalityKeys.ERROR_TYPE.withValue(orNone(context.getErrorType())),
				LowCardinalityKeys.NETWORK_TRANSPORT.withValue("pipe"),
				LowCardinalityKeys.SERVER.withValue(context.getServerName()),
				LowCardinalityKeys.OUTCOME.withValue(orNone(context.getOutcome())));
	}

	@Override
	public KeyValues getHighCardinalityKeyValues(McpServerRequestContext context) {
		return KeyValues.of(HighCardinalityKeys.REQUEST_ID.withValue(context.getRequestId()));
	}

}
