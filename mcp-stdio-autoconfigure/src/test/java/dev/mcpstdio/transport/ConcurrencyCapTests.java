package dev.mcpstdio.transport;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.awaitility.Awaitility.await;

/**
 * max-concurrent-requests on a real fixture, which counts the slow calls it runs at once
 * and tells the most it ever ran ({@code peak}).
 */
class ConcurrencyCapTests {

	private final ExecutorService callers = Executors.newFixedThreadPool(64);

	private FixtureConnection connection;

	@AfterEach
	void close() {
		this.callers.shutdownNow();
		this.connection.close();
	}

	@Test
	void sixtyFourCallersUnderACapOfFourNeverPutMoreThanFourAtTheServerAndAllAreAnswered() {
		start(4, Duration.ofSeconds(30));
		List<CompletableFuture<String>> calls = new ArrayList<>();
		for (int i = 0; i < 64; i++) {
			calls.add(CompletableFuture.supplyAsync(() -> call("slow", Map.of("millis", 50)), this.callers));
		}
		assertThat(calls).allSatisfy((call) -> assertThat(call.join()).isEqualTo("slept 50"));
		assertThat(Integer.parseInt(call("peak", Map.of()))).isBetween(1, 4);
		assertThat(this.connection.transport.waitingRequests()).isZero();
	}

	@Test
	void requestThatWaitsItsWholeTimeoutForATurnFailsNamingTheCapAndIsNeverSent() {
		start(1, Duration.ofMillis(500));
		CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> call("slow", Map.of("millis", 400)),
				this.callers);
		await().atMost(Duration.ofSeconds(10)).until(() -> this.connection.transport.inFlightCount() == 1);
		CompletableFuture<String> second = CompletableFuture.supplyAsync(() -> call("slow", Map.of("millis", 1)),
				this.callers);
		await().atMost(Duration.ofSeconds(10)).until(() -> this.connection.transport.waitingRequests() == 1);
		assertThat(first.join()).isEqualTo("slept 400");
		// its turn came after the first: what was left of its own timeout sufficed
		assertThat(second.join()).isEqualTo("slept 1");
		// slow has a timeout of its own, longer than the wait echo may make
		CompletableFuture<String> blocker = CompletableFuture.supplyAsync(() -> call("slow", Map.of("millis", 1500)),
				this.callers);
		await().atMost(Duration.ofSeconds(10)).until(() -> this.connection.transport.inFlightCount() == 1);
		assertThatException().isThrownBy(() -> call("echo", Map.of("text", "late")))
			.withMessageContaining("MCP server 'capped' had max-concurrent-requests 1 requests at the server, and"
					+ " request 'tools/call' of tool 'echo' waited request-timeout PT0.5S for its turn: it was not sent");
		assertThat(blocker.join()).isEqualTo("slept 1500");
	}

	private void start(int cap, Duration requestTimeout) {
		this.connection = FixtureConnection.open("capped",
				StdioTransportOptions.defaults()
					.withRequestTimeout(requestTimeout)
					.withMaxConcurrentRequests(cap)
					.withTools(new ToolPolicy(List.of(), List.of(), Map.of("slow", Duration.ofSeconds(10)))));
	}

	private String call(String tool, Map<String, Object> arguments) {
		return this.connection.call(tool, arguments);
	}

}
