package dev.mcpstdio.autoconfigure;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

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

	/** A clock that moves when told, running the tasks that fall due. */
	private static final class FakeTime extends Clock {

		private Instant now = Instant.parse("2026-12-05T00:00:00Z");

		private final List<Due> due = new ArrayList<>();

		void schedule(Duration delay, Runnable task) {
			this.due.add(new Due(this.now.plus(delay), task));
		}

		void advance(Duration duration) {
			Instant until = this.now.plus(duration);
			while (true) {
				Due next = this.due.stream()
					.filter((candidate) -> !candidate.at().isAfter(until))
					.min(Comparator.comparing(Due::at))
					.orElse(null);
				if (next == null) {
					break;
				}
				this.due.remove(next);
				this.now = next.at();
				next.task().run();
			}
			this.now = until;
		}

		int pending() {
			return this.due.size();
		}

		@Override
		public Instant instant() {
			return this.now;
		}

		@Override
		public ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(ZoneId zone) {
			return this;
		}

		private record Due(Instant at, Runnable task) {
		}

	}

}
