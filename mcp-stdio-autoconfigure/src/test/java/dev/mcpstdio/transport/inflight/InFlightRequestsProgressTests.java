package dev.mcpstdio.transport.inflight;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import dev.mcpstdio.transport.observation.RequestObserver;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Progress notifications found by their token, restarting their request's timeout in the
 * set, on a time the test moves. The restart itself, up to the cap, is tested by
 * {@link InFlightRequestTests}.
 */
class InFlightRequestsProgressTests {

	private final AtomicLong nanos = new AtomicLong(0);

	private final InFlightRequests inFlight = new InFlightRequests("clocked", RequestObserver.NONE, this.nanos::get);

	@Test
	void progressOfATokenRestartsTheTimeoutOfItsRequestInTheSet() {
		this.inFlight.add(new SentRequest(1, "tools/call", "slow", "t", true,
				new RequestLimits(Duration.ofSeconds(1), null, Duration.ofMillis(2500), "max-request-timeout PT2.5S"),
				false));
		advance(900);
		assertThat(this.inFlight.progressed("t", true)).isNotNull();
		advance(900);
		assertThat(this.inFlight.expire(this.nanos.get())).as("restarted at 0.9 s: due at 1.9 s").isEmpty();
		this.inFlight.progressed("t", true);
		advance(500);
		this.inFlight.progressed("t", true);
		advance(199);
		assertThat(this.inFlight.expire(this.nanos.get())).isEmpty();
		advance(1);
		assertThat(this.inFlight.expire(this.nanos.get())).singleElement()
			.satisfies((request) -> assertThat(request.capped()).isTrue());
	}

	@Test
	void progressThatDoesNotResetLeavesTheDeadlineAndAnUnknownTokenIsNoRequest() {
		this.inFlight
			.add(new SentRequest(2, "tools/call", null, "u", false, RequestLimits.of(Duration.ofSeconds(1)), false));
		advance(900);
		assertThat(this.inFlight.progressed("u", false)).isNotNull();
		assertThat(this.inFlight.progressed("nobody's", true)).isNull();
		advance(100);
		assertThat(this.inFlight.expire(this.nanos.get())).singleElement().satisfies((request) -> {
			assertThat(request.capped()).isFalse();
			assertThat(ErrorResponses.timeoutName(request, Duration.ofSeconds(1))).isEqualTo("request-timeout PT1S");
		});
		assertThat(this.inFlight.progressed("u", true)).as("gone with its request").isNull();
	}

	private void advance(long millis) {
		this.nanos.addAndGet(Duration.ofMillis(millis).toNanos());
	}

}
