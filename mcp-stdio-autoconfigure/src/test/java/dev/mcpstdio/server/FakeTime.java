package dev.mcpstdio.server;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;

/**
 * A clock and a scheduler whose time moves only when a test moves it: the tasks that come
 * due run on the test's thread, in order.
 */
public final class FakeTime extends Clock implements Scheduler {

	private Instant now = Instant.parse("2026-01-01T00:00:00Z");

	private final List<Due> due = new ArrayList<>();

	@Override
	public synchronized Future<?> schedule(Duration delay, Runnable task) {
		FutureTask<Void> future = new FutureTask<>(task, null);
		this.due.add(new Due(this.now.plus(delay), future));
		return future;
	}

	/** Moves time forward, running every task that comes due on the way. */
	public void advance(Duration duration) {
		Instant end = this.now.plus(duration);
		while (true) {
			Due next;
			synchronized (this) {
				next = this.due.stream()
					.filter((task) -> !task.at().isAfter(end))
					.min(Comparator.comparing(Due::at))
					.orElse(null);
				if (next == null) {
					this.now = end;
					return;
				}
				this.due.remove(next);
				this.now = next.at();
			}
			next.task().run(); // a cancelled task does nothing
			failed(next.task());
		}
	}

	/** Throws what a task that ran threw: a test must not pass over it. */
	private static void failed(FutureTask<Void> task) {
		if (task.isCancelled()) {
			return;
		}
		try {
			task.get();
		}
		catch (ExecutionException ex) {
			throw new AssertionError("a task run by FakeTime failed", ex.getCause());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError(ex);
		}
	}

	/** The tasks scheduled and neither run nor cancelled. */
	public synchronized long pending() {
		return this.due.stream().filter((task) -> !task.task().isCancelled()).count();
	}

	@Override
	public synchronized Instant instant() {
		return this.now;
	}

	@Override
	public ZoneId getZone() {
		return ZoneOffset.UTC;
	}

	@Override
	public Clock withZone(ZoneId zone) {
		throw new UnsupportedOperationException();
	}

	private record Due(Instant at, FutureTask<Void> task) {
	}

}
