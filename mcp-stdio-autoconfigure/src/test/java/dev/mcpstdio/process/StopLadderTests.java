package dev.mcpstdio.process;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import dev.mcpstdio.fixture.Fixtures;
import dev.mcpstdio.process.platform.ProcessTree;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ladder's escalation with injected time: hour-long timeouts that pass at once.
 */
class StopLadderTests {

	private static final StopTimeouts HOURS = new StopTimeouts(Duration.ofHours(1), Duration.ofHours(1));

	private final MutableClock clock = new MutableClock();

	private final List<Duration> waits = new ArrayList<>();

	@Test
	void stopWhenTimeoutsPassWithoutExitEscalatesToSigkillWithoutWaiting() throws Exception {
		// a waiter for which every timeout passes at once, unless the process is already
		// gone
		ExitWaiter timeoutsPassAtOnce = (child, tree, timeout) -> {
			this.waits.add(timeout);
			this.clock.advance(timeout);
			return !child.isAlive() && ProcessTree.alive(tree).isEmpty();
		};
		ProcessLauncher launcher = new ProcessLauncher(new ProcessLauncher.Options(true, true, false, List.of()),
				new StopLadder(this.clock, sigkillAware(timeoutsPassAtOnce)));
		ManagedProcess process = launcher.launch(Fixtures.spec("stubborn", "--ignore-eof", "--ignore-term"));
		Fixtures.awaitStarted(process.stderr()); // SIGTERM is ignored from then on
		long started = System.nanoTime();
		StopReport report = process.stop(HOURS);
		Duration real = Duration.ofNanos(System.nanoTime() - started);
		assertThat(report.step()).isEqualTo(StopStep.SIGKILL);
		assertThat(report.survivors()).isZero();
		assertThat(process.isAlive()).isFalse();
		assertThat(this.waits).startsWith(Duration.ofHours(1), Duration.ofHours(1));
		assertThat(report.duration()).isGreaterThanOrEqualTo(Duration.ofHours(2));
		assertThat(real).isLessThan(Duration.ofMinutes(1));
	}

	@Test
	void stopWhenChildExitsAtEofTakesOneStep() throws Exception {
		ProcessLauncher launcher = new ProcessLauncher(new ProcessLauncher.Options(true, true, false, List.of()),
				new StopLadder(this.clock, ExitWaiter.POLLING));
		ManagedProcess process = launcher.launch(Fixtures.spec("well"));
		StopReport report = process.stop(HOURS);
		assertThat(report.step()).isEqualTo(StopStep.EOF);
		assertThat(report.exitCode()).isZero();
	}

	/**
	 * After SIGKILL the kernel needs a moment to reap: really wait for that step only.
	 */
	private ExitWaiter sigkillAware(ExitWaiter fake) {
		return (child, tree, timeout) -> {
			if (timeout.equals(StopTimeouts.KILL_GRACE)) {
				return ExitWaiter.POLLING.awaitExit(child, tree, Duration.ofSeconds(10));
			}
			return fake.awaitExit(child, tree, timeout);
		};
	}

	static final class MutableClock extends Clock {

		private Instant now = Instant.parse("2026-01-01T00:00:00Z");

		void advance(Duration duration) {
			this.now = this.now.plus(duration);
		}

		@Override
		public ZoneOffset getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(java.time.ZoneId zone) {
			return this;
		}

		@Override
		public Instant instant() {
			return this.now;
		}

	}

}
