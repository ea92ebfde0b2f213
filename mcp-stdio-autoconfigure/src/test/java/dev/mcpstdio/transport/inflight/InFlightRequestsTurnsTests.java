package dev.mcpstdio.transport.inflight;

import java.time.Duration;

import dev.mcpstdio.transport.observation.RequestObserver;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The turns of max-concurrent-requests: taken before a request is sent, given back once
 * whatever way it leaves (answered, expired, failed with the connection).
 */
class InFlightRequestsTurnsTests {

	private final InFlightRequests inFlight = new InFlightRequests("capped", RequestObserver.NONE, System::nanoTime, 1);

	@Test
	void turnIsHeldWhileTheRequestIsInFlightAndGivenBackOnceWhenItLeaves() {
		assertThat(this.inFlight.turns().await(Duration.ofMillis(10))).isTrue();
		this.inFlight.add(sent(1));
		assertThat(this.inFlight.turns().await(Duration.ofMillis(10))).isFalse();
		assertThat(this.inFlight.complete(1, RequestObserver.Outcome.SUCCESS)).isNotNull();
		assertThat(this.inFlight.complete(1, RequestObserver.Outcome.SUCCESS)).isNull();
		assertThat(this.inFlight.turns().await(Duration.ofMillis(10))).isTrue();
		assertThat(this.inFlight.turns().await(Duration.ofMillis(10))).as("given back once only").isFalse();
	}

	@Test
	void expiredAndFailedRequestsGiveTheirTurnsBack() {
		this.inFlight.turns().await(Duration.ZERO);
		this.inFlight
			.add(new SentRequest(2, "tools/call", null, null, false, RequestLimits.of(Duration.ofNanos(1)), true));
		assertThat(this.inFlight.expire(System.nanoTime() + 1_000_000)).hasSize(1);
		assertThat(this.inFlight.turns().await(Duration.ofMillis(10))).isTrue();
		this.inFlight.add(sent(3));
		assertThat(this.inFlight.failAll()).hasSize(1);
		assertThat(this.inFlight.turns().await(Duration.ofMillis(10))).isTrue();
	}

	private static SentRequest sent(Object id) {
		return new SentRequest(id, "tools/call", null, null, false, RequestLimits.of(Duration.ofMinutes(1)), true);
	}

}
