package dev.mcpstdio.process.sandbox;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Deadlines that pass when a test says so: {@link #fireAll()} runs every task scheduled,
 * cancelled or not, as a timer that fires while the cancel is on its way would.
 */
final class HandFiredDeadlines implements Deadlines {

	private final List<Runnable> tasks = new CopyOnWriteArrayList<>();

	private final List<Duration> delays = new CopyOnWriteArrayList<>();

	private final AtomicInteger cancels = new AtomicInteger();

	@Override
	public Runnable schedule(Duration delay, Runnable task) {
		this.delays.add(delay);
		this.tasks.add(task);
		return this.cancels::incrementAndGet;
	}

	void fireAll() {
		this.tasks.forEach(Runnable::run);
	}

	int scheduled() {
		return this.tasks.size();
	}

	List<Duration> delays() {
		return this.delays;
	}

	int cancels() {
		return this.cancels.get();
	}

}
