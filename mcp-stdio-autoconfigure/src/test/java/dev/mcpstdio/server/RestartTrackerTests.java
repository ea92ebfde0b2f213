package dev.mcpstdio.server;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The restart policy with fake time: the backoff before each restart, and no restart
 * while a stop is coming.
 */
class RestartTrackerTests {

	private final FakeTime time = new FakeTime();

	private final AtomicInteger restarted = new AtomicInteger();

	private final RestartTracker tracker = new RestartTracker("files", new RestartSettings(RestartPolicy.ON_FAILURE, 2,
			Duration.ofMinutes(1), Duration.ofMillis(100), Duration.ofSeconds(1)), this.time, this.time);

	@Test
	void failedExitBacksOffThenRestarts() {
		assertThat(this.tracker.afterExitUnlessStopComing(3, false, this.restarted::incrementAndGet))
			.isEqualTo(ServerState.BACKOFF);
		assertThat(this.tracker.nextStart()).isEqualTo(this.time.instant().plusMillis(100));
		this.time.advance(Duration.ofMillis(99));
		assertThat(this.restarted).hasValue(0);
		this.time.advance(Duration.ofMillis(1));
		assertThat(this.restarted).hasValue(1);
		assertThat(this.tracker.total()).isEqualTo(1);
	}

	@Test
	void exitWhileAStopIsComingIsNotFollowedByARestart() {
		this.tracker.stopComing(true);
		assertThat(this.tracker.afterExitUnlessStopComing(3, false, this.restarted::incrementAndGet))
			.isEqualTo(ServerState.STOPPED);
		this.time.advance(Duration.ofMinutes(5));
		assertThat(this.restarted).hasValue(0);
		assertThat(this.tracker.total()).isZero();
		assertThat(this.tracker.nextStart()).isNull();
		assertThat(this.time.pending()).isZero();
	}

	@Test
	void stopThatIsNoLongerComingLeavesThePolicyToDecide() {
		this.tracker.stopComing(true);
		this.tracker.stopComing(false);
		assertThat(this.tracker.isStopComing()).isFalse();
		assertThat(this.tracker.afterExitUnlessStopComing(3, false, this.restarted::incrementAndGet))
			.isEqualTo(ServerState.BACKOFF);
	}

	@Test
	void restartsPastTheLimitWithinTheWindowFail() {
		assertThat(this.tracker.afterExitUnlessStopComing(3, false, this.restarted::incrementAndGet))
			.isEqualTo(ServerState.BACKOFF);
		assertThat(this.tracker.afterExitUnlessStopComing(3, false, this.restarted::incrementAndGet))
			.isEqualTo(ServerState.BACKOFF);
		assertThat(this.tracker.afterExitUnlessStopComing(3, false, this.restarted::incrementAndGet))
			.isEqualTo(ServerState.FAILED);
	}

}
