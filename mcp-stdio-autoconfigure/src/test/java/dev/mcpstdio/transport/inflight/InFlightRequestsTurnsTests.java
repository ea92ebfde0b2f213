package dev.mcpstdio.transport.inflight;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import dev.mcpstdio.transport.observation.RequestObserver;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The turns of max-concurrent-requests: taken before a request is sent, given back once
 * whatever way it leaves (answered, expired, failed with the connection), on a time the
 * test moves.
 */
class InFlightRequestsTurnsTests {

	private final AtomicLong nanos = new AtomicLong(0);

	private final InFlightRequests inFlight = new InFlightRequests("capped", RequestObserver.NONE, this.nanos::get, 1);

	@Test
	void turnIsHeldWhileTheRequestIsInFlightAndGivenBackOnceWhenItLeaves() {
		assertThat(takeAFreeTurn()).isTrue();
		this.inFlight.add(sent(1));
		assertThat(takeAFreeTurn()).isFalse();
		assertThat(this.inFlight.complete(1, RequestObserver.Outcome.SUCCESS)).isNotNull();
		assertThat(this.inFlight.complete(1, RequestObserver.Outcome.SUCCESS)).isNull();
		assertThat(takeAFreeTurn()).isTrue();
		assertThat(takeAFreeTurn()).as("given back once only").isFalse();
	}

	@Test
	void expiredAndFailedRequestsGiveTheirTurnsBack() {
		assertThat(takeAFreeTurn()).isTrue();
		this.inFlight
			.add(new SentRequest(2, "tools/call", null, null, false, RequestLimits.of(Duration.ofSeconds(1)), true));
		this.nanos.addAndGet(Duration.ofMillis(999).toNanos());
		assertThat(this.inFlight.expire(this.nanos.get())).isEmpty();
		assertThat(takeAFreeTurn()).as("held until it expires").isFalse();
		this.nanos.addAndGet(Duration.ofMillis(1).toNanos());
		assertThat(this.inFlight.expire(this.nanos.get())).hasSize(1);
		assertThat(takeAFreeTurn()).isTrue();
		this.inFlight.add(sent(3));
		assertThat(this.inFlight.failAll()).hasSize(1);
		assertThat(takeAFreeTurn()).isTrue();
	}

	/**
	 * Takes a turn if one is free now, without waiting for one: nothing else runs here
	 * that could give one back meanwhile, so the answer now is the answer.
	 */
	private boolean takeAFreeTurn() {
		return this.inFlight.turns().await(Duration.ofNanos(1));
	}

	private static SentRequest sent(Object id) {
		return new SentRequest(id, "tools/call", null, null, false, RequestLimits.of(Duration.ofMinutes(1)), true);
	}

}
