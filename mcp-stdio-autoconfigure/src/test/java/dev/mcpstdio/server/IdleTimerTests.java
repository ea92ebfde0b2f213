package dev.mcpstdio.server;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class IdleTimerTests {

	private final FakeTime time = new FakeTime();

	private final AtomicInteger inFlight = new AtomicInteger();

	private final List<Duration> idle = new ArrayList<>();

	private final IdleTimer timer = new IdleTimer(Duration.ofMinutes(5), this.time, this.time);

	@Test
	void idleProcessIsReportedOnceAfterIdleTimeout() {
		this.timer.start(this.inFlight::get, this.idle::add);
		this.time.advance(Duration.ofMinutes(4));
		assertThat(this.idle).isEmpty();
		this.time.advance(Duration.ofMinutes(10));
		assertThat(this.idle).containsExactly(Duration.ofMinutes(5));
		assertThat(this.time.pending()).isZero();
	}

	@Test
	void activityHoldsOffTheIdleTimeout() {
		this.timer.start(this.inFlight::get, this.idle::add);
		this.time.advance(Duration.ofMinutes(4));
		this.timer.touch();
		this.time.advance(Duration.ofMinutes(4));
		assertThat(this.idle).isEmpty();
		this.time.advance(Duration.ofMinutes(1));
		assertThat(this.idle).containsExactly(Duration.ofMinutes(5));
	}

	@Test
	void requestInFlightHoldsOffTheIdleTimeout() {
		this.inFlight.set(1);
		this.timer.start(this.inFlight::get, this.idle::add);
		this.time.advance(Duration.ofMinutes(30));
		assertThat(this.idle).isEmpty();
		this.inFlight.set(0);
		this.time.advance(Duration.ofMinutes(5));
		assertThat(this.idle).hasSize(1);
	}

	@Test
	void stopEndsTheWatch() {
		this.timer.start(this.inFlight::get, this.idle::add);
		this.timer.stop();
		assertThat(this.time.pending()).isZero();
		this.time.advance(Duration.ofHours(1));
		assertThat(this.idle).isEmpty();
	}

	@Test
	void zeroIdleTimeoutNeverSchedules() {
		new IdleTimer(Duration.ZERO, this.time, this.time).start(this.inFlight::get, this.idle::add);
		assertThat(this.time.pending()).isZero();
	}

}
