package dev.mcpstdio.autoconfigure;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import dev.mcpstdio.server.McpStdioServers;
import dev.mcpstdio.transport.error.McpStdioTimeoutException;
import dev.mcpstdio.transport.observation.DefaultMcpClientObservationConvention;
import dev.mcpstdio.transport.observation.McpClientObservationConvention;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Hooks;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.ai.mcp.customizer.McpClientCustomizer;
import org.springframework.ai.tool.ToolCallback;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration;
import org.springframework.boot.opentelemetry.autoconfigure.OpenTelemetrySdkAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.awaitility.Awaitility.await;

/**
 * With Spring Boot's OpenTelemetry bridge, each request to a real fixture server is a
 * CLIENT span named and attributed after OpenTelemetry's conventions for MCP, a child of
 * the caller's span, and the server receives its trace context in {@code _meta} (the
 * fixture echoes what it received).
 */
class TracingTests {

	private final InMemorySpanExporter spans = InMemorySpanExporter.create();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ObservationAutoConfiguration.class,
				OpenTelemetrySdkAutoConfiguration.class, MicrometerTracingAutoConfiguration.class,
				OpenTelemetryTracingAutoConfiguration.class, McpStdioAutoConfiguration.class))
		.withBean(SpanExporter.class, () -> this.spans)
		.withPropertyValues("management.tracing.sampling.probability=1.0", "mcp.stdio.tool-callbacks.enabled=false",
				// only slow, which must time out, has a short timeout: a busy machine
				// cannot make the other calls reach theirs
				"mcp.stdio.servers.traced.tools.request-timeouts.slow=500ms")
		.withPropertyValues(FixtureProperties.server("traced").toArray(new String[0]));

	@Test
	void toolCallIsAClientSpanOfTheCallersTraceAndTheServerGetsItsContext() {
		this.runner.run((context) -> {
			ObservationRegistry registry = context.getBean(ObservationRegistry.class);
			McpStdioServers servers = context.getBean(McpStdioServers.class);
			Observation caller = Observation.start("caller", registry);
			String meta;
			try (Observation.Scope scope = caller.openScope()) {
				meta = ((TextContent) servers.client("traced")
					.callTool(new CallToolRequest("meta", Map.of()))
					.content()
					.get(0)).text();
			}
			caller.stop();
			List<SpanData> finished = finished(context);
			SpanData call = span(finished, "tools/call meta");
			SpanData callerSpan = span(finished, "caller");
			assertThat(call.getKind()).isEqualTo(SpanKind.CLIENT);
			assertThat(call.getTraceId()).isEqualTo(callerSpan.getTraceId());
			assertThat(call.getParentSpanId()).isEqualTo(callerSpan.getSpanId());
			assertThat(call.getStatus().getStatusCode()).isNotEqualTo(StatusCode.ERROR);
			assertThat(attribute(call, "mcp.method.name")).isEqualTo("tools/call");
			assertThat(attribute(call, "gen_ai.tool.name")).isEqualTo("meta");
			assertThat(attribute(call, "gen_ai.operation.name")).isEqualTo("execute_tool");
			assertThat(attribute(call, "network.transport")).isEqualTo("pipe");
			assertThat(attribute(call, "server")).isEqualTo("traced");
			assertThat(attribute(call, "jsonrpc.request.id")).isNotBlank();
			assertThat(attribute(call, "mcp.protocol.version")).isNotBlank();
			// the server got the trace context of this very span
			Map<?, ?> received = JsonMapper.builder().build().readValue(meta, Map.class);
			assertThat(received.get("traceparent")).asString()
				.startsWith("00-" + call.getTraceId() + "-" + call.getSpanId() + "-");
		});
	}

	@Test
	void aToolCallbackOfAPerSessionServerIsTracedUnderItsCaller() {
		this.runner
			.withPropertyValues("mcp.stdio.tool-callbacks.enabled=true", "mcp.stdio.servers.traced.keep-alive=false")
			.run((context) -> {
				ToolCallback echo = Arrays
					.stream(context.getBean(McpStdioToolCallbackProvider.class).getToolCallbacks())
					.filter((callback) -> callback.getToolDefinition().name().equals("traced_echo"))
					.findFirst()
					.orElseThrow();
				Observation caller = Observation.start("model turn", context.getBean(ObservationRegistry.class));
				try (Observation.Scope scope = caller.openScope()) {
					assertThat(echo.call("{\"text\":\"from the model\"}")).contains("from the model");
				}
				caller.stop();
				List<SpanData> finished = finished(context);
				assertThat(span(finished, "tools/call echo").getParentSpanId())
					.isEqualTo(span(finished, "model turn").getSpanId());
			});
	}

	@Test
	void errorsAndTimeoutsAreSpansWithStatusErrorAndTheirType() {
		this.runner.run((context) -> {
			McpStdioServers servers = context.getBean(McpStdioServers.class);
			assertThatException()
				.isThrownBy(() -> servers.client("traced").callTool(new CallToolRequest("no-such-tool", Map.of())));
			assertThatException().isThrownBy(
					() -> servers.client("traced").callTool(new CallToolRequest("slow", Map.of("millis", 2000))));
			List<SpanData> finished = finished(context);
			SpanData unknown = span(finished, "tools/call no-such-tool");
			assertThat(unknown.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
			assertThat(attribute(unknown, "error.type")).isEqualTo("-32602");
			SpanData slow = span(finished, "tools/call slow");
			assertThat(slow.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
			assertThat(attribute(slow, "error.type")).isEqualTo(McpStdioTimeoutException.class.getName());
			assertThat(attribute(slow, "outcome")).isEqualTo("timeout");
		});
	}

	@Test
	void stderrLinesOfTheServerCarryItsNameAndTheTraceOfTheRequestInFlight() {
		// what the logging sees as each line is logged: the MDC, and the current span
		// (the one a Spring Boot application's MDC listener puts in the MDC)
		List<String> lines = new CopyOnWriteArrayList<>();
		AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {

			@Override
			protected void append(ILoggingEvent event) {
				lines.add(event.getFormattedMessage() + " | " + event.getMDCPropertyMap().get("mcp.stdio.server")
						+ " | " + Span.current().getSpanContext().getSpanId());
			}

		};
		appender.start();
		Logger logger = (Logger) LoggerFactory.getLogger("mcp.stdio.recorded");
		logger.addAppender(appender);
		try {
			this.runner
				.withPropertyValues(FixtureProperties.server("recorded", "--record-calls").toArray(new String[0]))
				.run((context) -> {
					McpStdioServers servers = context.getBean(McpStdioServers.class);
					// the starter's own listing of the tools done: the call is alone in
					// flight
					await().atMost(Duration.ofSeconds(10))
						.until(() -> servers.server("recorded").status().toolCount() != null);
					servers.client("recorded").callTool(new CallToolRequest("slow", Map.of("millis", 300)));
					SpanData call = span(finished(context), "tools/call slow");
					// the fixture logs the call on stderr as it gets it, and answers
					// later
					await().atMost(Duration.ofSeconds(10))
						.untilAsserted(() -> assertThat(lines).contains("call slow | recorded | " + call.getSpanId()));
				});
		}
		finally {
			logger.detachAppender(appender);
		}
	}

	@Test
	void aSamplingRequestOfTheServerContinuesTheTraceAndItsHandlerRunsInItsSpan() {
		// as spring.reactor.context-propagation=auto does: the SDK runs a sync handler
		// on a thread of its own, which gets the span through the Reactor context
		Hooks.enableAutomaticContextPropagation();
		try {
			this.runner.withUserConfiguration(Sampler.class).run((context) -> {
				String answer = ((TextContent) context.getBean(McpStdioServers.class)
					.client("traced")
					.callTool(new CallToolRequest("ask", Map.of("text", "hi")))
					.content()
					.get(0)).text();
				assertThat(answer).isEqualTo("sampled=HI");
				List<SpanData> finished = finished(context);
				SpanData call = span(finished, "tools/call ask");
				SpanData sampling = span(finished, "sampling/createMessage");
				assertThat(sampling.getKind()).isEqualTo(SpanKind.SERVER);
				// the fixture sent the trace context of the call it was handling
				assertThat(sampling.getTraceId()).isEqualTo(call.getTraceId());
				assertThat(sampling.getParentSpanId()).isEqualTo(call.getSpanId());
				assertThat(attribute(sampling, "mcp.method.name")).isEqualTo("sampling/createMessage");
				assertThat(attribute(sampling, "outcome")).isEqualTo("success");
				assertThat(context.getBean(Sampler.class).handlerSpans).containsExactly(sampling.getSpanId());
			});
		}
		finally {
			Hooks.disableAutomaticContextPropagation();
		}
	}

	@Test
	void aConventionBeanNamesTheObservations() {
		TestObservationRegistry registry = TestObservationRegistry.create();
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(McpStdioAutoConfiguration.class))
			.withBean(ObservationRegistry.class, () -> registry)
			.withBean(McpClientObservationConvention.class, () -> new DefaultMcpClientObservationConvention() {

				@Override
				public String getName() {
					return "own.mcp.requests";
				}

			})
			.withPropertyValues("mcp.stdio.tool-callbacks.enabled=false")
			.withPropertyValues(FixtureProperties.server("named").toArray(new String[0]))
			.run((context) -> {
				context.getBean(McpStdioServers.class)
					.client("named")
					.callTool(new CallToolRequest("echo", Map.of("text", "x")));
				assertThat(registry).hasAnObservation((observation) -> observation.hasNameEqualTo("own.mcp.requests")
					.hasContextualNameEqualTo("tools/call echo"));
			});
	}

	@Configuration(proxyBeanMethods = false)
	static class Sampler {

		/** The span current in the sampling handler, each time it ran. */
		final List<String> handlerSpans = new CopyOnWriteArrayList<>();

		@Bean
		McpClientCustomizer<McpClient.SyncSpec> sampling() {
			return (name, spec) -> spec.capabilities(McpSchema.ClientCapabilities.builder().sampling().build())
				.sampling((request) -> {
					this.handlerSpans.add(Span.current().getSpanContext().getSpanId());
					String prompt = ((McpSchema.TextContent) request.messages().get(0).content()).text();
					return McpSchema.CreateMessageResult
						.builder(McpSchema.Role.ASSISTANT, prompt.toUpperCase(), "model")
						.build();
				});
		}

	}

	private List<SpanData> finished(AssertableApplicationContext context) {
		context.getBean(SdkTracerProvider.class).forceFlush().join(10, TimeUnit.SECONDS);
		return this.spans.getFinishedSpanItems();
	}

	private static SpanData span(List<SpanData> spans, String name) {
		List<SpanData> named = spans.stream().filter((span) -> name.equals(span.getName())).toList();
		assertThat(named).as("spans named '%s' among %s", name, spans.stream().map(SpanData::getName).toList())
			.hasSize(1);
		return named.get(0);
	}

	private static String attribute(SpanData span, String key) {
		return span.getAttributes().get(AttributeKey.stringKey(key));
	}

}
