package dev.mcpstdio.transport.inflight;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

/**
 * The turns at a server under {@code max-concurrent-requests}: a request takes one before
 * it is sent, in order of arrival, and gives it back once it leaves. Without a cap there
 * are always turns, and none is counted.
 */
public final class Turns {

	private final @Nullable Semaphore semaphore;

	/**
	 * @param max how many requests may hold a turn at once; 0 for no cap
	 */
	Turns(int max) {
		this.semaphore = (max > 0) ? new Semaphore(max, true) : null;
	}

	/**
	 * Waits for a turn, in order of arrival, where there is a cap.
	 * @param timeout how long at most; zero for ever
	 * @return whether a turn was taken (always, where there is no cap, without taking
	 * one)
	 */
	public boolean await(Duration timeout) {
		Semaphore turns = this.semaphore;
		if (turns == null) {
			return true;
		}
		try {
			if (timeout.isZero()) {
				turns.acquire();
				return true;
			}
			return turns.tryAcquire(timeout.toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	/** Gives a turn back. */
	public void giveBack() {
		if (this.semaphore != null) {
			this.semaphore.release();
		}
	}

	/** Whether requests wait for turns (there is a cap). */
	public boolean capped() {
		return this.semaphore != null;
	}

	/** How many requests wait for a turn. */
	public int waiting() {
		return (this.semaphore != null) ? this.semaphore.getQueueLength() : 0;
	}

}
