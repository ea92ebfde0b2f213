package dev.mcpstdio.transport;

import dev.mcpstdio.transport.observation.McpClientObservationConvention;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

/**
 * How the requests the starter sends are observed: the registry (a no-op one observes
 * nothing and costs nothing) and the convention that replaces the default one, if any.
 *
 * @param registry the registry of the observations
 * @param convention the convention in place of the default one, or {@code null}
 */
public record McpClientObservations(ObservationRegistry registry, @Nullable McpClientObservationConvention convention) {

	/** Nothing is observed. */
	public static final McpClientObservations NONE = new McpClientObservations(ObservationRegistry.NOOP, null);

}
