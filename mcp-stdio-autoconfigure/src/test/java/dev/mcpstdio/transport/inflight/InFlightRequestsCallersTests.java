package dev.mcpstdio.transport.inflight;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;

import dev.mcpstdio.transport.observation.RequestObserver;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The callers held until their request leaves: released one by one once their answer was
 * delivered, and all at once when every request fails with the connection.
 */
class InFlightRequestsCallersTests {

	private final InFlightRequests inFlight = new InFlightRequests("held", RequestObserver.NONE);

	@Test
	void callerIsReleasedOnlyOnceItsAnswerWasDelivered() {
		CountDownLatch held = this.inFlight.callers().watch(1);
		this.inFlight.add(1, "tools/call", Duration.ZERO);
		assertThat(this.inFlight.complete(1, RequestObserver.Outcome.SUCCESS)).isNotNull();
		assertThat(held.getCount()).as("answered, not yet delivered").isOne();
		this.inFlight.release(1);
		assertThat(held.getCount()).isZero();
	}

	@Test
	void everyCallerIsReleasedWhenEveryRequestFails() {
		CountDownLatch first = this.inFlight.callers().watch(1);
		CountDownLatch second = this.inFlight.callers().watch(2);
		this.inFlight.add(1, "tools/call", Duration.ZERO);
		this.inFlight.add(2, "tools/call", Duration.ZERO);
		assertThat(this.inFlight.failAll()).hasSize(2);
		assertThat(first.getCount()).isZero();
		assertThat(second.getCount()).isZero();
	}

}
