package dev.mcpstdio.transport.observation;

import java.util.HashMap;
import java.util.Map;

import io.micrometer.common.KeyValue;
import io.micrometer.observation.Observation;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.transport.Kind;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The default convention: span names, the keys of every request (so the timer's tags are
 * always the same), and the high-cardinality ones; a convention bean replaces it.
 */
class DefaultMcpClientObservationConventionTests {

	private final DefaultMcpClientObservationConvention convention = new DefaultMcpClientObservationConvention();

	@Test
	void nameIsTheMethodAndItsToolOrPrompt() {
		assertThat(this.convention.getName()).isEqualTo("mcp.stdio.requests");
		assertThat(this.convention.getContextualName(context("tools/call", "get-weather", null, null)))
			.isEqualTo("tools/call get-weather");
		assertThat(this.convention.getContextualName(context("prompts/get", null, "summary", null)))
			.isEqualTo("prompts/get summary");
		// a resource's URI has too many values for a name
		assertThat(this.convention.getContextualName(context("resources/read", null, null, "file:///a.txt")))
			.isEqualTo("resources/read");
	}

	@Test
	void everyRequestHasEveryLowCardinalityKey() {
		McpClientRequestContext ping = context("ping", null, null, null);
		assertThat(this.convention.getLowCardinalityKeyValues(ping)).containsExactlyInAnyOrder(
				KeyValue.of("mcp.method.name", "ping"), KeyValue.of("gen_ai.tool.name", "none"),
				KeyValue.of("gen_ai.prompt.name", "none"), KeyValue.of("gen_ai.operation.name", "none"),
				KeyValue.of("error.type", "none"), KeyValue.of("mcp.protocol.version", "none"),
				KeyValue.of("network.transport", "pipe"), KeyValue.of("server", "weather"),
				KeyValue.of("outcome", "none"));
		McpClientRequestContext call = context("tools/call", "get-weather", null, null);
		call.setProtocolVersion("2025-11-25");
		call.setOutcome("error");
		call.setErrorType("-32602");
		assertThat(this.convention.getLowCardinalityKeyValues(call)).contains(
				KeyValue.of("gen_ai.operation.name", "execute_tool"), KeyValue.of("mcp.protocol.version", "2025-11-25"),
				KeyValue.of("error.type", "-32602"), KeyValue.of("outcome", "error"));
	}

	@Test
	void requestIdAndResourceAreHighCardinality() {
		assertThat(this.convention.getHighCardinalityKeyValues(context("resources/read", null, null, "file:///a.txt")))
			.containsExactly(KeyValue.of("jsonrpc.request.id", "7"), KeyValue.of("mcp.resource.uri", "file:///a.txt"));
		assertThat(this.convention.getHighCardinalityKeyValues(context("ping", null, null, null)))
			.containsExactly(KeyValue.of("jsonrpc.request.id", "7"));
	}

	@Test
	void contextIsAClientSenderWhoseCarrierIsTheMeta() {
		Map<String, Object> meta = new HashMap<>();
		McpClientRequestContext context = new McpClientRequestContext("weather", "ping", "7", null, null, null, meta);
		assertThat(context.getKind()).isEqualTo(Kind.CLIENT);
		context.getSetter().set(context.getCarrier(), "traceparent", "00-abc-def-01");
		assertThat(meta).containsEntry("traceparent", "00-abc-def-01");
		assertThat(context.getRemoteServiceName()).isEqualTo("weather");
	}

	@Test
	void aConventionOfTheApplicationsReplacesTheDefault() {
		TestObservationRegistry registry = TestObservationRegistry.create();
		McpClientObservationConvention own = new DefaultMcpClientObservationConvention() {

			@Override
			public String getName() {
				return "own.requests";
			}

		};
		McpClientObservationDocumentation.REQUEST
			.observation(own, this.convention, () -> context("ping", null, null, null), registry)
			.start()
			.stop();
		assertThat(registry).hasObservationWithNameEqualTo("own.requests");
		assertThat(own.supportsContext(new Observation.Context())).isFalse();
	}

	private static McpClientRequestContext context(String method, String tool, String prompt, String uri) {
		return new McpClientRequestContext("weather", method, "7", tool, prompt, uri, new HashMap<>());
	}

}
