package dev.mcpstdio.transport;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.mcpstdio.fixture.Fixtures;
import dev.mcpstdio.process.ProcessLauncher;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.awaitility.Awaitility.await;

/**
 * A request that times out is cancelled: the server (a real fixture that records the
 * notifications it receives on stderr) hears of it once, with the reason, and its late
 * answer is dropped quietly.
 */
@ExtendWith(OutputCaptureExtension.class)
class CancellationTests {

	private static final Pattern CANCELLED = Pattern.compile("cancelled (\\S+): (.*)");

	private final ManagedStdioTransport transport = new ManagedStdioTransport(ProcessLauncher.shared(),
			Fixtures.spec("slowpoke"), StdioTransportOptions.defaults()
				.withRequestTimeout(Duration.ofMillis(300))
				// echo, which must answer, has a timeout of its own that a busy machine
				// cannot reach
				.withTools(new ToolPolicy(List.of(), List.of(), Map.of("echo", Duration.ofSeconds(30)))),
			McpJsonDefaults.getMapper());

	private final McpSyncClient client = McpClient.sync(this.transport)
		.requestTimeout(Duration.ofSeconds(30))
		.initializationTimeout(Duration.ofSeconds(30))
		.build();

	@AfterEach
	void close() {
		this.client.close();
	}

	@Test
	void timedOutRequestIsCancelledOnceAndItsLateAnswerIsDroppedQuietly(CapturedOutput output) {
		this.client.initialize();
		assertThatException()
			.isThrownBy(() -> this.client.callTool(new CallToolRequest("slow", Map.of("millis", 1000))))
			.withMessageContaining(
					"MCP server 'slowpoke' did not answer request 'tools/call' of tool 'slow' within request-timeout");
		// the answer it sent anyway comes after the cancellation it received
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.transport.stderrTail().stream().anyMatch((line) -> line.startsWith("answered ")));
		List<String> cancellations = this.transport.stderrTail()
			.stream()
			.filter((line) -> line.startsWith("cancelled "))
			.toList();
		assertThat(cancellations).singleElement().satisfies((line) -> {
			Matcher matcher = CANCELLED.matcher(line);
			assertThat(matcher.matches()).isTrue();
			assertThat(matcher.group(2)).isEqualTo("request-timeout PT0.3S exceeded");
			assertThat(this.transport.stderrTail()).contains("answered " + matcher.group(1) + " after 1000 ms");
		});
		assertThat(output.getOut()).doesNotContain("which is not in flight");
		// the connection goes on
		assertThat(echo("still here")).isEqualTo("still here");
	}

	@Test
	void cancellingARequestNotInFlightTellsTheServerNothing() {
		this.client.initialize();
		assertThat(this.transport.cancel("no-such-id", "test")).isFalse();
		// a request sent after it is answered: the cancellation, had there been one,
		// would have come first
		assertThat(echo("after")).isEqualTo("after");
		assertThat(this.transport.stderrTail()).noneMatch((line) -> line.startsWith("cancelled "));
	}

	@Test
	void interruptedCallerFailsAtOnceAndItsRequestIsCancelledOnce(CapturedOutput output) throws Exception {
		try (FixtureConnection connection = FixtureConnection.open("interrupted",
				StdioTransportOptions.defaults().withRequestTimeout(Duration.ofSeconds(30)),
				(spec) -> spec.transportContextProvider(CallingThread.provider()))) {
			InterruptedCall call = InterruptedCall.start(() -> connection.call("slow", Map.of("millis", 1500)));
			await().atMost(Duration.ofSeconds(10)).until(() -> connection.transport.inFlightCount() == 1);
			call.interrupt();
			assertThat(call.failure()).hasMessageContaining(
					"MCP server 'interrupted': request 'tools/call' of tool 'slow' was cancelled, as its caller was interrupted");
			assertThat(call.stillInterrupted()).as("the caller's interrupt flag is kept").isTrue();
			assertThat(connection.transport.inFlightCount()).isZero();
			// the answer it sent anyway comes after the cancellation it received
			await().atMost(Duration.ofSeconds(10))
				.until(() -> connection.transport.stderrTail()
					.stream()
					.anyMatch((line) -> line.startsWith("answered ")));
			assertThat(connection.transport.stderrTail()).filteredOn((line) -> line.startsWith("cancelled "))
				.singleElement()
				.satisfies((line) -> assertThat(line).endsWith(": its caller was interrupted"));
			assertThat(output.getOut()).doesNotContain("which is not in flight");
			assertThat(connection.call("echo", Map.of("text", "on"))).isEqualTo("on");
		}
	}

	private String echo(String text) {
		return ((TextContent) this.client.callTool(new CallToolRequest("echo", Map.of("text", text))).content().get(0))
			.text();
	}

}
