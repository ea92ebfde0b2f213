package dev.mcpstdio.gateway;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import dev.mcpstdio.server.FakeTime;
import dev.mcpstdio.server.McpStdioChannel;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCMessage;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCRequest;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCResponse;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When a session counts as idle, on a time the test moves: a request in flight holds it
 * open however long it takes, and its answer is activity.
 */
class GatewaySessionIdleTests {

	private static final Duration TIMEOUT = Duration.ofMinutes(30);

	private final FakeTime clock = new FakeTime();

	@Test
	void aRequestInFlightHoldsTheSessionAndItsAnswerIsActivity() {
		Channel channel = new Channel();
		GatewaySession session = new GatewaySession("vm.x", "own", "2025-11-25", Map.of(),
				new Messages(McpJsonDefaults.getMapper()), this.clock, 8, new ProcessIds(), null, GatewayObserver.NONE,
				(ended) -> {
				});
		session.bind(channel);
		this.clock.advance(Duration.ofMinutes(29));
		assertThat(session.idleSince(this.clock.instant(), TIMEOUT)).isFalse();
		session.request(new JSONRPCRequest("2.0", "tools/call", 1, Map.of("name", "slow")), new Discard());
		this.clock.advance(Duration.ofHours(2));
		assertThat(session.idleSince(this.clock.instant(), TIMEOUT)).as("a call in flight for two hours").isFalse();
		session.fromProcess(new JSONRPCResponse("2.0", 1, Map.of(), null));
		assertThat(session.idleSince(this.clock.instant().plus(Duration.ofMinutes(29)), TIMEOUT)).isFalse();
		assertThat(session.idleSince(this.clock.instant().plus(Duration.ofMinutes(31)), TIMEOUT)).isTrue();
		assertThat(channel.sent).hasSize(1);
	}

	/** A channel that keeps what it is sent. */
	static final class Channel implements McpStdioChannel {

		final List<JSONRPCMessage> sent = new ArrayList<>();

		@Override
		public String serverName() {
			return "own";
		}

		@Override
		public boolean shared() {
			return false;
		}

		@Override
		public Map<String, Object> initializeResult() {
			return Map.of();
		}

		@Override
		public long pid() {
			return 1;
		}

		@Override
		public void send(JSONRPCMessage message) {
			this.sent.add(message);
		}

		@Override
		public boolean cancel(Object id, String reason) {
			return false;
		}

		@Override
		public int inFlight() {
			return 0;
		}

		@Override
		public CompletableFuture<Void> whenEnded() {
			return new CompletableFuture<>();
		}

		@Override
		public void close() {
		}

	}

	/** An outlet whose client reads nothing. */
	static final class Discard implements Outlet {

		@Override
		public String stream() {
			return "r1";
		}

		@Override
		public boolean related(String eventId, String json) {
			return true;
		}

		@Override
		public boolean answer(String eventId, String json) {
			return true;
		}

		@Override
		public boolean isOpen() {
			return true;
		}

		@Override
		public void close() {
		}

	}

}
