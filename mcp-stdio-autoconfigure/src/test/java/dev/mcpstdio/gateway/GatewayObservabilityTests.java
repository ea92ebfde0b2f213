package dev.mcpstdio.gateway;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The gateway observed: a tool call over HTTP is a SERVER span continuing the client's
 * trace with the starter's CLIENT span to the process its child; its sessions are in
 * health and in metrics, its requests counted by outcome.
 */
class GatewayObservabilityTests {

	private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

	@Test
	void aCallIsTracedCountedAndItsSessionShownInHealth() throws Exception {
		List<String> properties = new ArrayList<>(GatewayTestApplication.fixture("shared"));
		properties.addAll(List.of("management.tracing.sampling.probability=1.0",
				"management.endpoints.web.exposure.include=health,metrics",
				"management.endpoint.health.show-details=always", "mcp.stdio.gateway.instance-id=observed"));
		try (ConfigurableApplicationContext context = GatewayTestApplication.start(properties, Spans.class)) {
			int port = GatewayTestApplication.port(context);
			McpHttpClient client = new McpHttpClient(port, "shared");
			String session = client.open();
			McpHttpClient.Response call = client.post(session, McpHttpClient.call(1, "echo", Map.of("text", "traced")),
					"traceparent", "00-" + TRACE_ID + "-00f067aa0ba902b7-01");
			assertThat(call.body()).contains("traced");
			McpHttpClient actuator = new McpHttpClient(port, "x");
			Map<String, Object> health = actuator.getJson("/actuator/health");
			Map<?, ?> gateway = (Map<?, ?>) ((Map<?, ?>) health.get("components")).get("mcpStdioGateway");
			assertThat(gateway.get("status")).isEqualTo("UP");
			assertThat(((Map<?, ?>) gateway.get("details")).get("sessionsByServer")).isEqualTo(Map.of("shared", 1));
			assertThat(measurement(actuator.getJson("/actuator/metrics/mcp.stdio.gateway.sessions?tag=server:shared")))
				.isEqualTo(1.0);
			assertThat(measurement(actuator.getJson(
					"/actuator/metrics/mcp.stdio.gateway.requests?tag=server:shared&tag=method:tools/call&tag=outcome:success")))
				.isEqualTo(1.0);
			// two sessions on the shared process: sessions and processes per server, and
			// the instance, for sizing
			String second = client.open();
			assertThat(measurement(actuator.getJson("/actuator/metrics/mcp.stdio.gateway.sessions?tag=server:shared")))
				.isEqualTo(2.0);
			assertThat(measurement(actuator.getJson("/actuator/metrics/mcp.stdio.gateway.processes?tag=server:shared")))
				.isEqualTo(1.0);
			Map<?, ?> details = (Map<?, ?>) ((Map<?, ?>) ((Map<?, ?>) actuator.getJson("/actuator/health")
				.get("components")).get("mcpStdioGateway")).get("details");
			assertThat(details.get("processesByServer")).isEqualTo(Map.of("shared", 1));
			assertThat(details.get("instanceId")).isEqualTo("observed");
			assertThat(details.get("draining")).isEqualTo(false);
			client.delete(second);
			await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
				context.getBean(SdkTracerProvider.class).forceFlush().join(10, TimeUnit.SECONDS);
				List<SpanData> spans = context.getBean("inMemorySpans", InMemorySpanExporter.class)
					.getFinishedSpanItems();
				SpanData tool = spans.stream()
					.filter((span) -> span.getName().equals("tools/call echo"))
					.findFirst()
					.orElseThrow();
				SpanData server = spans.stream()
					.filter((span) -> span.getSpanId().equals(tool.getParentSpanId()))
					.findFirst()
					.orElseThrow();
				assertThat(tool.getKind()).isEqualTo(SpanKind.CLIENT);
				assertThat(server.getKind()).isEqualTo(SpanKind.SERVER);
				assertThat(server.getTraceId()).as("the client's trace, continued").isEqualTo(TRACE_ID);
			});
			client.delete(session);
		}
	}

	private static Object measurement(Map<String, Object> metric) {
		return ((Map<?, ?>) ((List<?>) metric.get("measurements")).get(0)).get("value");
	}

	@Configuration(proxyBeanMethods = false)
	static class Spans {

		@Bean
		InMemorySpanExporter inMemorySpans() {
			return InMemorySpanExporter.create();
		}

	}

}
