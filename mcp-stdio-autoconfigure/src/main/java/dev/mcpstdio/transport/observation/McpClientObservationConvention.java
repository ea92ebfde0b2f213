package dev.mcpstdio.transport.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * The convention of the observations of MCP requests: a bean of this type replaces
 * {@link DefaultMcpClientObservationConvention}.
 */
public interface McpClientObservationConvention extends ObservationConvention<McpClientRequestContext> {

	@Override
	default boolean supportsContext(Observation.Context context) {
		return context instanceof McpClientRequestContext;
	}

}
