package dev.mcpstdio.transport;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import dev.mcpstdio.transport.error.McpStdioTimeoutException;
import dev.mcpstdio.transport.observation.McpClientObservations;
import dev.mcpstdio.transport.observation.McpClientRequestContext;
import io.micrometer.common.KeyValue;
import io.micrometer.observation.Observation;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.ReadResourceRequest;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * Each request sent to a real fixture is one observation, after OpenTelemetry's
 * conventions for MCP, with how it ended, as a child of the caller's observation; the
 * registry checks that each is started and stopped once.
 */
class RequestObservationsTests {

	private final TestObservationRegistry registry = TestObservationRegistry.create();

	private final FixtureConnection connection = FixtureConnection.open("observed",
			// only slow, which must time out, has a short timeout: a busy machine cannot
			// make the others reach theirs
			StdioTransportOptions.defaults()
				.withTools(new ToolPolicy(List.of(), List.of(), Map.of("slow", Duration.ofMillis(500)))),
			new McpClientObservations(this.registry, null), (spec) -> {
			});

	@AfterEach
	void close() {
		this.connection.close();
	}

	@Test
	void toolCallIsAnObservationNamedAfterItsToolWithTheConventionsKeys() {
		assertThat(this.connection.call("echo", Map.of("text", "hi"))).isEqualTo("hi");
		McpClientRequestContext context = context("tools/call echo");
		assertThat(context.getLowCardinalityKeyValues()).contains(KeyValue.of("mcp.method.name", "tools/call"),
				KeyValue.of("gen_ai.tool.name", "echo"), KeyValue.of("gen_ai.operation.name", "execute_tool"),
				KeyValue.of("network.transport", "pipe"), KeyValue.of("server", "observed"),
				KeyValue.of("outcome", "success"), KeyValue.of("error.type", "none"));
		assertThat(context.getLowCardinalityKeyValue("mcp.protocol.version").getValue())
			.matches("\\d{4}-\\d{2}-\\d{2}");
		assertThat(context.getHighCardinalityKeyValue("jsonrpc.request.id").getValue()).isNotBlank();
		assertThat(context.getError()).isNull();
		assertThat(context("initialize").getLowCardinalityKeyValues()).contains(KeyValue.of("gen_ai.tool.name", "none"),
				KeyValue.of("outcome", "success"));
	}

	@Test
	void requestIsAChildOfTheCallersObservationAndCarriesNoMetaWithoutATracer() throws Exception {
		Observation caller = Observation.start("caller", this.registry);
		String meta;
		try (Observation.Scope scope = caller.openScope()) {
			meta = this.connection.call("meta", Map.of());
		}
		caller.stop();
		assertThat(context("tools/call meta").getParentObservation()).isSameAs(caller);
		// only a tracing bridge puts anything in _meta: the starter's own progress token
		assertThat(JsonMapper.builder().build().readValue(meta, Map.class)).containsOnlyKeys("progressToken");
	}

	@Test
	void failuresAreErrorsOfTheirType() {
		assertThatException().isThrownBy(() -> this.connection.call("no-such-tool", Map.of()));
		CallToolResult failed = this.connection.client.callTool(new CallToolRequest("fail", Map.of()));
		assertThat(((TextContent) failed.content().get(0)).text()).isEqualTo("it failed");
		assertThatException().isThrownBy(() -> this.connection.call("slow", Map.of("millis", 2000)));
		assertThat(context("tools/call no-such-tool")).satisfies(errorOfType("-32602", "error"));
		assertThat(context("tools/call fail")).satisfies(errorOfType("tool_error", "success"));
		assertThat(context("tools/call slow"))
			.satisfies(errorOfType(McpStdioTimeoutException.class.getName(), "timeout"));
	}

	@Test
	void requestsThePredicatesLeaveOutAreSentUnobserved() {
		TestObservationRegistry registry = TestObservationRegistry.create();
		// as an application that does not want its pings traced
		registry.observationConfig()
			.observationPredicate((name, context) -> !(context instanceof McpClientRequestContext request
					&& "ping".equals(request.getMethod())));
		try (FixtureConnection pinged = FixtureConnection.open("pinged", StdioTransportOptions.defaults(),
				new McpClientObservations(registry, null), (spec) -> {
				})) {
			pinged.client.ping();
			assertThat(pinged.call("echo", Map.of("text", "after"))).isEqualTo("after");
		}
		registry.assertThat()
			.hasHandledContextsThatSatisfy(
					(contexts) -> assertThat(contexts).extracting(Observation.Context::getContextualName)
						.doesNotContain("ping")
						.contains("tools/call echo"));
	}

	@Test
	void resourceReadIsObservedWithItsUri() {
		try (FixtureConnection resources = FixtureConnection.open("resourceful", StdioTransportOptions.defaults(),
				new McpClientObservations(this.registry, null), (spec) -> {
				}, "--resources")) {
			resources.client.readResource(new ReadResourceRequest("file:///tmp/a.txt"));
		}
		McpClientRequestContext context = context("resources/read");
		assertThat(context.getHighCardinalityKeyValue("mcp.resource.uri").getValue()).isEqualTo("file:///tmp/a.txt");
		assertThat(context.getLowCardinalityKeyValues()).contains(KeyValue.of("outcome", "success"));
	}

	@Test
	void interruptedCallerMakesACancelledObservation() throws Exception {
		try (FixtureConnection held = FixtureConnection.open("held", StdioTransportOptions.defaults(),
				new McpClientObservations(this.registry, null),
				(spec) -> spec.transportContextProvider(CallingThread.provider()))) {
			InterruptedCall call = InterruptedCall.start(() -> held.call("slow", Map.of("millis", 1500)));
			org.awaitility.Awaitility.await()
				.atMost(Duration.ofSeconds(10))
				.until(() -> held.transport.inFlightCount() == 1);
			call.interrupt();
			call.failure();
		}
		McpClientRequestContext cancelled = context("tools/call slow");
		assertThat(cancelled)
			.satisfies(errorOfType(java.util.concurrent.CancellationException.class.getName(), "cancelled"));
	}

	private static java.util.function.Consumer<McpClientRequestContext> errorOfType(String type, String outcome) {
		return (context) -> {
			assertThat(context.getLowCardinalityKeyValues()).contains(KeyValue.of("error.type", type),
					KeyValue.of("outcome", outcome));
			assertThat(context.getError()).isNotNull().hasMessageStartingWith("MCP server '");
		};
	}

	/** The one stopped observation of the contextual name. */
	private McpClientRequestContext context(String name) {
		List<McpClientRequestContext> contexts = new java.util.ArrayList<>();
		this.registry.assertThat()
			.hasHandledContextsThatSatisfy((handled) -> handled.stream()
				.filter(McpClientRequestContext.class::isInstance)
				.map(McpClientRequestContext.class::cast)
				.filter(named(name))
				.forEach(contexts::add));
		assertThat(contexts).as(name).hasSize(1);
		return contexts.get(0);
	}

	private static Predicate<McpClientRequestContext> named(String name) {
		return (context) -> name.equals(context.getContextualName());
	}

}
