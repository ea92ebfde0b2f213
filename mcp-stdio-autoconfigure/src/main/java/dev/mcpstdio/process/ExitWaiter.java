package dev.mcpstdio.process;

import java.time.Duration;
import java.util.Set;

import dev.mcpstdio.process.platform.ProcessTree;

/**
 * Waits for processes to exit: the ladder's only source of waiting, injected so tests of
 * the escalation need not wait for real timeouts.
 */
@FunctionalInterface
interface ExitWaiter {

	/** Polls the processes until none is running or the timeout passes. */
	ExitWaiter POLLING = ExitWaiter::poll;

	/**
	 * Waits until none of the processes is running.
	 * @param child the direct child, whose exit is also awaited
	 * @param tree the processes to wait for
	 * @param timeout how long to wait at most
	 * @return whether they were all gone in time
	 * @throws InterruptedException if the waiting thread is interrupted
	 */
	boolean awaitExit(Process child, Set<ProcessHandle> tree, Duration timeout) throws InterruptedException;

	private static boolean poll(Process child, Set<ProcessHandle> tree, Duration timeout) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		long pause = 1;
		while (true) {
			if (!child.isAlive() && ProcessTree.alive(tree).isEmpty()) {
				return true;
			}
			long left = deadline - System.nanoTime();
			if (left <= 0) {
				return false;
			}
			if (child.isAlive()) {
				// the child's exit is a real event: wake as soon as it happens
				child.waitFor(Math.min(left, pause * 1_000_000), java.util.concurrent.TimeUnit.NANOSECONDS);
			}
			else {
				Thread.sleep(Math.max(1, Math.min(left / 1_000_000, pause)));
			}
			pause = Math.min(pause * 2, 20);
		}
	}

}
