package dev.mcpstdio.autoconfigure;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import dev.mcpstdio.server.FakeTime;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The quiet period with fake time: a burst of changes runs the action once, a quiet
 * period after the last of them.
 */
class QuietPeriodTests {

	private final FakeTime time = new FakeTime();

	private final AtomicInteger runs = new AtomicInteger();

	private final QuietPeriod quietPeriod = new QuietPeriod(Duration.ofSeconds(1), this.time, this.time::schedule,
			this.runs::incrementAndGet);

	@Test
	void actionRunsOnceTheQuietPeriodHasPassedSinceAChange() {
		this.quietPeriod.changed();
		this.time.advance(Duration.ofMillis(999));
		assertThat(this.runs).hasValue(0);
		this.time.advance(Duration.ofMillis(1));
		assertThat(this.runs).hasValue(1);
		this.time.advance(Duration.ofSeconds(10));
		assertThat(this.runs).hasValue(1);
	}

	@Test
	void burstOfChangesRunsTheActionOnceAfterTheLastOfThem() {
		for (int i = 0; i < 5; i++) {
			this.quietPeriod.changed();
			this.time.advance(Duration.ofMillis(600));
		}
		assertThat(this.runs).hasValue(0);
		this.time.advance(Duration.ofMillis(399));
		assertThat(this.runs).hasValue(0);
		this.time.advance(Duration.ofMillis(1));
		assertThat(this.runs).hasValue(1);
		assertThat(this.time.pending()).isZero();
	}

	@Test
	void changeAfterARunRunsTheActionAgain() {
		this.quietPeriod.changed();
		this.time.advance(Duration.ofSeconds(1));
		this.quietPeriod.changed();
		this.time.advance(Duration.ofSeconds(1));
		assertThat(this.runs).hasValue(2);
	}

	@Test
	void zeroQuietPeriodRunsTheActionWithoutWaiting() {
		QuietPeriod none = new QuietPeriod(Duration.ZERO, this.time, this.time::schedule, this.runs::incrementAndGet);
		none.changed();
		this.time.advance(Duration.ZERO);
		assertThat(this.runs).hasValue(1);
	}

}
