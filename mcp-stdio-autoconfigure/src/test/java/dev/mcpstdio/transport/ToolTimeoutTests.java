package dev.mcpstdio.transport;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.awaitility.Awaitility.await;

/**
 * A tool's own timeout ({@code tools.request-timeouts}) in place of the server's
 * request-timeout, longer or shorter, on a real fixture.
 */
class ToolTimeoutTests {

	private FixtureConnection connection;

	@AfterEach
	void close() {
		this.connection.close();
	}

	@Test
	void toolWithALongerTimeoutOutlastsTheServersRequestTimeout() {
		start(Duration.ofMillis(300), Map.of("slow", Duration.ofSeconds(5)));
		assertThat(call("slow", Map.of("millis", 1000))).isEqualTo("slept 1000");
	}

	@Test
	void toolWithoutATimeoutOfItsOwnKeepsTheServersRequestTimeout() {
		start(Duration.ofMillis(300), Map.of("echo", Duration.ofSeconds(5)));
		assertThatException().isThrownBy(() -> call("slow", Map.of("millis", 1000)))
			.withMessageContaining("within request-timeout PT0.3S");
	}

	@Test
	void toolWithAShorterTimeoutFailsNamingItsPropertyAndIsCancelledWithIt() {
		start(Duration.ofSeconds(30), Map.of("slow", Duration.ofMillis(200)));
		assertThatException().isThrownBy(() -> call("slow", Map.of("millis", 1000)))
			.withMessageContaining(
					"MCP server 'toolish' did not answer request 'tools/call' of tool 'slow' within tools.request-timeouts.slow PT0.2S");
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.connection.transport.stderrTail()
				.stream()
				.anyMatch((line) -> line.matches("cancelled \\S+: tools\\.request-timeouts\\.slow PT0\\.2S exceeded")));
		assertThat(call("echo", Map.of("text", "others keep theirs"))).isEqualTo("others keep theirs");
	}

	private void start(Duration requestTimeout, Map<String, Duration> toolTimeouts) {
		this.connection = FixtureConnection.open("toolish",
				StdioTransportOptions.defaults()
					.withRequestTimeout(requestTimeout)
					.withTools(new ToolPolicy(List.of(), List.of(), toolTimeouts)));
	}

	private String call(String tool, Map<String, Object> arguments) {
		return this.connection.call(tool, arguments);
	}

}
