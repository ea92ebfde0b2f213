package dev.mcpstdio.transport;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import dev.mcpstdio.fixture.Fixtures;
import dev.mcpstdio.process.ProcessLauncher;
import dev.mcpstdio.transport.inflight.RequestTimeouts;
import dev.mcpstdio.transport.observation.RequestObserver;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCMessage;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Request timeouts on a time the test moves: a real child that never answers, and sweeps
 * run by hand.
 */
class RequestTimeoutsTests {

	private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

	private final RequestTimeouts timeouts = new RequestTimeouts(this.nanos::get);

	private final List<JSONRPCMessage> received = new CopyOnWriteArrayList<>();

	private final ManagedStdioTransport transport = new ManagedStdioTransport(ProcessLauncher.shared(),
			Fixtures.spec("unhurried"), StdioTransportOptions.defaults().withRequestTimeout(Duration.ofSeconds(5)),
			McpJsonDefaults.getMapper(), RequestObserver.NONE, this.timeouts);

	@AfterEach
	void stop() {
		this.transport.stop();
	}

	@Test
	void requestFailsAtTheFirstSweepPastItsTimeoutAndNotBefore() {
		this.transport.connect((messages) -> messages.doOnNext(this.received::add)).block();
		this.transport
			.sendMessage(new McpSchema.JSONRPCRequest(McpSchema.JSONRPC_VERSION, McpSchema.METHOD_TOOLS_CALL, 1,
					Map.of("name", "slow", "arguments", Map.of("millis", 3_600_000))))
			.block();
		this.nanos.addAndGet(Duration.ofMillis(4999).toNanos());
		this.timeouts.sweep();
		assertThat(this.received).isEmpty();
		assertThat(this.transport.inFlightCount()).isOne();
		this.nanos.addAndGet(Duration.ofMillis(1).toNanos());
		this.timeouts.sweep();
		assertThat(this.received).singleElement().satisfies((message) -> {
			JSONRPCResponse.JSONRPCError error = ((JSONRPCResponse) message).error();
			assertThat(error.message()).startsWith(
					"MCP server 'unhurried' did not answer request 'tools/call' of tool 'slow' within request-timeout PT5S");
			assertThat(error.data()).isEqualTo(Map.of("server", "unhurried", "timeout", "PT5S"));
		});
		assertThat(this.transport.inFlightCount()).isZero();
		// the server hears of it once, and keeps no request of ours
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.transport.stderrTail().contains("cancelled 1: request-timeout PT5S exceeded"));
		this.nanos.addAndGet(Duration.ofSeconds(10).toNanos());
		this.timeouts.sweep();
		assertThat(this.received).hasSize(1);
	}

}
