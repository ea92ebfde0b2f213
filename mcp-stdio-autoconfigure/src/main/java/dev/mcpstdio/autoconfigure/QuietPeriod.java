package dev.mcpstdio.autoconfigure;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BiConsumer;

import org.jspecify.annotations.Nullable;

/**
 * Runs an action once changes have stopped coming for a quiet period: each change pushes
 * the run back, so a burst of writes (an editor's save, a ConfigMap's swap) runs it once,
 * after the last. Time is injected: a clock, and a function that runs a task after a
 * delay.
 */
final class QuietPeriod {

	private final Duration quiet;

	private final Clock clock;

	private final BiConsumer<Duration, Runnable> delay;

	private final Runnable action;

	private final Object lock = new Object();

	/** When the last change came; null once the action ran for it. */
	private @Nullable Instant lastChange;

	/** Whether a check is scheduled. */
	private boolean scheduled;

	/**
	 * Creates the quiet period.
	 * @param quiet how long changes must have stopped
	 * @param clock the time
	 * @param delay runs a task after a delay, on another thread
	 * @param action what to run once quiet
	 */
	QuietPeriod(Duration quiet, Clock clock, BiConsumer<Duration, Runnable> delay, Runnable action) {
		this.quiet = quiet;
		this.clock = clock;
		this.delay = delay;
		this.action = action;
	}

	/** A change came: the action runs once none has come for the quiet period. */
	void changed() {
		synchronized (this.lock) {
			this.lastChange = this.clock.instant();
			if (this.scheduled) {
				return; // the scheduled check pushes itself back
			}
			this.scheduled = true;
		}
		this.delay.accept(this.quiet, this::check);
	}

	private void check() {
		Duration remaining;
		synchronized (this.lock) {
			Instant last = this.lastChange;
			if (last == null) {
				this.scheduled = false;
				return;
			}
			remaining = Duration.between(this.clock.instant(), last.plus(this.quiet));
			if (remaining.isNegative() || remaining.isZero()) {
				this.lastChange = null;
				this.scheduled = false;
				remaining = null;
			}
		}
		if (remaining != null) {
			this.delay.accept(remaining, this::check);
			return;
		}
		this.action.run();
	}

}
