package dev.mcpstdio.benchmarks;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import dev.mcpstdio.transport.observation.McpClientObservations;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingReceiverTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingSenderTracingObservationHandler;
import io.micrometer.tracing.otel.bridge.OtelCurrentTraceContext;
import io.micrometer.tracing.otel.bridge.OtelPropagator;
import io.micrometer.tracing.otel.bridge.OtelTracer;
import io.modelcontextprotocol.client.McpSyncClient;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;

/**
 * 16-17: tracing on (OpenTelemetry's SDK through Micrometer's bridge, every request
 * sampled, an exporter that drops the spans) beside tracing off, the same fixture, in one
 * run: the round trip and the throughput of 8 callers. Each call is made inside a
 * caller's observation, as an application's would be.
 */
final class TracingMeasures {

	private final Benchmarks.Settings settings;

	private final List<Row> rows;

	TracingMeasures(Benchmarks.Settings settings, List<Row> rows) {
		this.settings = settings;
		this.rows = rows;
	}

	/** 16: sequential round trips, tracing off and on in alternating rounds. */
	void roundTrip() throws Exception {
		try (Traced traced = Traced.start()) {
			McpSyncClient off = Benchmarks.ours("untraced", McpClientObservations.NONE);
			McpSyncClient on = Benchmarks.ours("traced", new McpClientObservations(traced.registry(), null));
			List<long[]> offSamples = new ArrayList<>();
			List<long[]> onSamples = new ArrayList<>();
			for (int round = 0; round < 4; round++) {
				// alternate who goes first, so that neither profits from the other's
				// warm-up
				if (round % 2 == 0) {
					offSamples.add(sample(off));
					onSamples.add(sample(on));
				}
				else {
					onSamples.add(sample(on));
					offSamples.add(sample(off));
				}
			}
			off.close();
			on.close();
			long[] offAll = Benchmarks.merge(offSamples);
			long[] onAll = Benchmarks.merge(onSamples);
			double ratio = (double) Benchmarks.percentile(onAll, 50) / Benchmarks.percentile(offAll, 50);
			this.rows.add(new Row("16. round trip p50 / p99, tracing on (OpenTelemetry, sampling 1.0, spans dropped)",
					Benchmarks.micros(onAll, 50) + " / " + Benchmarks.micros(onAll, 99) + " (off: "
							+ Benchmarks.micros(offAll, 50) + " / " + Benchmarks.micros(offAll, 99) + ")",
					"no spans", "-", String.format("on %.2fx off (p50)", ratio), "at most 1.15x off (p50)",
					ratio <= 1.15));
		}
	}

	/** 17: 8 callers for the load duration, tracing off and on in alternating rounds. */
	void throughput() throws Exception {
		try (Traced traced = Traced.start()) {
			McpSyncClient off = Benchmarks.ours("untraced-load", McpClientObservations.NONE);
			McpSyncClient on = Benchmarks.ours("traced-load", new McpClientObservations(traced.registry(), null));
			long[] offResult = new long[2];
			long[] onResult = new long[2];
			for (int round = 0; round < 2; round++) {
				add(offResult, load(off));
				add(onResult, load(on));
			}
			off.close();
			on.close();
			double seconds = 2 * this.settings.loadDuration().toMillis() / 1000.0;
			double ratio = onResult[0] / (double) Math.max(offResult[0], 1);
			this.rows.add(new Row("17. throughput, 8 callers, tracing on",
					String.format("%.0f calls/s, %d failed (off: %.0f calls/s, %d failed)", onResult[0] / seconds,
							onResult[1], offResult[0] / seconds, offResult[1]),
					"no spans", "-", String.format("on %.2fx off", ratio), "at least 0.85x off",
					ratio >= 0.85 && onResult[1] == 0));
		}
	}

	private static void add(long[] sum, long[] result) {
		sum[0] += result[0];
		sum[1] += result[1];
	}

	private long[] sample(McpSyncClient client) throws Exception {
		return Benchmarks.sample(this.settings, () -> Benchmarks.echo(client));
	}

	/**
	 * Echoes from 8 callers: each request a span of the starter's alone (an application's
	 * own spans around it would cost the same either way).
	 */
	private long[] load(McpSyncClient client) throws InterruptedException {
		return Benchmarks.load(client, 8, this.settings.loadDuration(), Benchmarks::echo);
	}

	/**
	 * An observation registry that traces through OpenTelemetry: every request sampled,
	 * batched to an exporter that drops the spans.
	 */
	private record Traced(ObservationRegistry registry, SdkTracerProvider provider) implements AutoCloseable {

		static Traced start() {
			SdkTracerProvider provider = SdkTracerProvider.builder()
				.setSampler(Sampler.alwaysOn())
				.addSpanProcessor(BatchSpanProcessor.builder(new DroppingExporter()).build())
				.build();
			OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
				.setTracerProvider(provider)
				.setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
				.build();
			Tracer otelTracer = sdk.getTracer("mcp-stdio-benchmarks");
			OtelTracer tracer = new OtelTracer(otelTracer, new OtelCurrentTraceContext(), (event) -> {
			});
			OtelPropagator propagator = new OtelPropagator(sdk.getPropagators(), otelTracer);
			ObservationRegistry registry = ObservationRegistry.create();
			registry.observationConfig()
				.observationHandler(new ObservationHandler.FirstMatchingCompositeObservationHandler(
						new PropagatingSenderTracingObservationHandler<>(tracer, propagator),
						new PropagatingReceiverTracingObservationHandler<>(tracer, propagator),
						new DefaultTracingObservationHandler(tracer)));
			return new Traced(registry, provider);
		}

		@Override
		public void close() {
			this.provider.shutdown();
		}

	}

	/** Exports nothing: the cost measured is the tracing's, not an exporter's. */
	private static final class DroppingExporter implements SpanExporter {

		@Override
		public CompletableResultCode export(Collection<SpanData> spans) {
			return CompletableResultCode.ofSuccess();
		}

		@Override
		public CompletableResultCode flush() {
			return CompletableResultCode.ofSuccess();
		}

		@Override
		public CompletableResultCode shutdown() {
			return CompletableResultCode.ofSuccess();
		}

	}

}
