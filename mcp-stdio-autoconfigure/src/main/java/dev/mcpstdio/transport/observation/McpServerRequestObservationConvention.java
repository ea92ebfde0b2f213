package dev.mcpstdio.transport.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * The convention of the observations of the requests servers send the client: a bean of
 * this type replaces {@link DefaultMcpServerRequestObservationConvention}.
 */
public interface McpServerRequestObservationConvention extends ObservationConvention<McpServerRequestContext> {

	@Override
	default boolean supportsContext(Observation.Context context) {
		return context instanceof McpServerRequestContext;
	}

}
