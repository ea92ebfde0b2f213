package dev.mcpstdio.actuate;

import java.time.Duration;
import java.util.Arrays;

import dev.mcpstdio.transport.observation.DefaultMcpClientObservationConvention;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import org.jspecify.annotations.Nullable;

/**
 * The histogram of the timer {@code mcp.stdio.requests}, where a user turns it on
 * ({@code management.metrics.distribution.percentiles-histogram.mcp.stdio.requests=true}):
 * the buckets OpenTelemetry's conventions for MCP give
 * {@code mcp.client.operation.duration}, 10 ms to 300 s, in place of Micrometer's own.
 */
public class McpStdioRequestBuckets implements MeterFilter {

	/** The buckets' upper bounds, in seconds. */
	static final double[] BUCKETS_SECONDS = { 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 30, 60, 120, 300 };

	private static final double[] BUCKETS_NANOS = Arrays.stream(BUCKETS_SECONDS)
		.map((seconds) -> Duration.ofMillis((long) (seconds * 1000)).toNanos())
		.toArray();

	@Override
	public @Nullable DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
		if (!DefaultMcpClientObservationConvention.NAME.equals(id.getName())
				|| !Boolean.TRUE.equals(config.isPercentileHistogram())) {
			return config;
		}
		return DistributionStatisticConfig.builder()
			.percentilesHistogram(false)
			.serviceLevelObjectives(BUCKETS_NANOS)
			.build()
			.merge(config);
	}

}
