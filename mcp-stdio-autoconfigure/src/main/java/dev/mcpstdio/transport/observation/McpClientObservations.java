package dev.mcpstdio.transport.observation;

import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

/**
 * How the requests the starter sends, and those the servers send it, are observed: the
 * registry (a no-op one observes nothing and costs nothing) and the conventions that
 * replace the default ones, if any.
 *
 * @param registry the registry of the observations
 * @param convention the convention of the client's requests in place of the default one,
 * or {@code null}
 * @param serverConvention the convention of the servers' requests in place of the default
 * one, or {@code null}
 */
public record McpClientObservations(ObservationRegistry registry, @Nullable McpClientObservationConvention convention,
		@Nullable McpServerRequestObservationConvention serverConvention) {

	/** Nothing is observed. */
	public static final McpClientObservations NONE = new McpClientObservations(ObservationRegistry.NOOP, null);

	/**
	 * Observations with the default convention of the servers' requests.
	 * @param registry the registry of the observations
	 * @param convention the convention of the client's requests in place of the default
	 * one, or {@code null}
	 */
	public McpClientObservations(ObservationRegistry registry, @Nullable McpClientObservationConvention convention) {
		this(registry, convention, null);
	}

}
