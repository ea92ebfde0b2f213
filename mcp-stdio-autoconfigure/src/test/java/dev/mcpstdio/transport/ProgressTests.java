package dev.mcpstdio.transport;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.awaitility.Awaitility.await;

/**
 * Progress and timeouts, on a real fixture whose {@code progress} tool works for a while
 * and reports progress every 100 ms to the token its request carries.
 */
class ProgressTests {

	private final List<McpSchema.ProgressNotification> seen = new CopyOnWriteArrayList<>();

	private FixtureConnection connection;

	@AfterEach
	void close() {
		this.connection.close();
	}

	@Test
	void toolThatReportsProgressOutlivesRequestTimeoutAndTheClientSeesNoneOfTheStartersProgress() {
		start(new ProgressTimeouts(true, Duration.ofMinutes(10)));
		String text = call(new CallToolRequest("progress", Map.of("millis", 2500, "every", 100)));
		assertThat(text).startsWith("worked 2500 ms, token " + Admission.OWN_PROGRESS_TOKEN);
		// progress of a call of the client's own comes after any of the first call's, in
		// order: once it is seen, none of the starter's was or will be
		call(new CallToolRequest("progress", Map.of("millis", 100, "every", 50), Map.of("progressToken", "mark")));
		await().atMost(Duration.ofSeconds(5)).until(() -> !this.seen.isEmpty());
		assertThat(this.seen).allSatisfy((progress) -> assertThat(progress.progressToken()).isEqualTo("mark"));
	}

	@Test
	void progressNeverTakesARequestPastMaxRequestTimeout() {
		start(new ProgressTimeouts(true, Duration.ofMillis(2500)));
		// cut off by its cap, which progress had moved its 1 s timeout up to, long
		// before it would have answered
		assertThatException()
			.isThrownBy(() -> call(new CallToolRequest("progress", Map.of("millis", 60_000, "every", 100))))
			.withMessageContaining(
					"did not answer request 'tools/call' of tool 'progress' within max-request-timeout PT2.5S");
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.connection.transport.stderrTail()
				.stream()
				.anyMatch((line) -> line.endsWith(": max-request-timeout PT2.5S exceeded")));
	}

	@Test
	void withoutProgressResetsTimeoutAToolIsCutOffAtRequestTimeoutAndGetsNoTokenOfTheStarters() {
		start(new ProgressTimeouts(false, Duration.ofMinutes(10)));
		assertThatException()
			.isThrownBy(() -> call(new CallToolRequest("progress", Map.of("millis", 2500, "every", 100))))
			.withMessageContaining("within request-timeout PT1S");
		assertThat(call(new CallToolRequest("progress", Map.of("millis", 100, "every", 50))))
			.isEqualTo("worked 100 ms, token null");
	}

	@Test
	void callersOwnTokenStillReachesItsHandlerAndRestartsTheTimeoutToo() {
		start(new ProgressTimeouts(true, Duration.ofMinutes(10)));
		String text = call(
				new CallToolRequest("progress", Map.of("millis", 2500, "every", 100), Map.of("progressToken", "mine")));
		assertThat(text).isEqualTo("worked 2500 ms, token mine");
		await().atMost(Duration.ofSeconds(5)).until(() -> this.seen.size() >= 24);
		assertThat(this.seen).allSatisfy((progress) -> assertThat(progress.progressToken()).isEqualTo("mine"));
	}

	/**
	 * A request timeout short enough for a call of 2.5 s to outlive it only through its
	 * progress, every 100 ms, and long enough that no pause of a busy machine between two
	 * reaches it.
	 */
	private void start(ProgressTimeouts progress) {
		this.connection = FixtureConnection.open("progressive",
				StdioTransportOptions.defaults().withRequestTimeout(Duration.ofSeconds(1)).withProgress(progress),
				(spec) -> spec.progressConsumer(this.seen::add));
	}

	private String call(CallToolRequest request) {
		return this.connection.call(request);
	}

}
