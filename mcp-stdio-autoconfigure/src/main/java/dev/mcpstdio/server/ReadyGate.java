package dev.mcpstdio.server;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import dev.mcpstdio.transport.error.McpStdioException;

/**
 * Where callers of a keep-alive server wait for a ready process: open while one runs,
 * closed while the server starts, restarts or backs off, and failed (every waiter told at
 * once) when the server is FAILED or stopped. A waiter that gave a deadline is told at
 * once, too, when the next process is known to come after it.
 */
final class ReadyGate<T> {

	private CompletableFuture<T> ready = new CompletableFuture<>();

	private final List<Waiter<T>> waiters = new ArrayList<>();

	/** Lets every waiter, and every later caller, through to this process. */
	synchronized void open(T ready) {
		if (this.ready.isDone()) {
			this.ready = new CompletableFuture<>();
		}
		this.ready.complete(ready);
		this.waiters.clear();
	}

	/** Makes later callers wait for the next process; waiters keep waiting. */
	synchronized void close() {
		if (this.ready.isDone()) {
			this.ready = new CompletableFuture<>();
		}
	}

	/** Fails every waiter with the reason; later callers wait for the next process. */
	synchronized void fail(McpStdioException why) {
		CompletableFuture<T> failed = this.ready;
		this.ready = new CompletableFuture<>();
		this.waiters.clear();
		// after the gate is settled: a waiter told may wait again at once
		failed.completeExceptionally(why);
	}

	/** Completes with the ready process: at once while the gate is open. */
	synchronized CompletableFuture<T> await() {
		return this.ready;
	}

	/**
	 * Completes with the ready process, or fails at once when the next process is known
	 * to come after the deadline.
	 * @param deadline until when the caller waits
	 * @param tooLate the caller's error, given when the next process comes
	 * @return the ready process
	 */
	synchronized CompletableFuture<T> await(Instant deadline, Function<Instant, ? extends Throwable> tooLate) {
		if (this.ready.isDone()) {
			return this.ready;
		}
		CompletableFuture<T> waiter = new CompletableFuture<>();
		this.ready.whenComplete((value, error) -> {
			if (error != null) {
				waiter.completeExceptionally(error);
			}
			else {
				waiter.complete(value);
			}
		});
		this.waiters.add(new Waiter<>(waiter, deadline, tooLate));
		return waiter;
	}

	/**
	 * The next process comes at the given instant: every waiter whose deadline is earlier
	 * is told at once, with its own error; the others keep waiting.
	 */
	synchronized void nextAt(Instant next) {
		this.waiters.removeIf((waiter) -> waiter.future().isDone());
		List<Waiter<T>> tooLate = this.waiters.stream().filter((waiter) -> waiter.deadline().isBefore(next)).toList();
		this.waiters.removeAll(tooLate);
		// after the list is settled: a waiter told may wait again at once
		tooLate.forEach((waiter) -> waiter.future().completeExceptionally(waiter.tooLate().apply(next)));
	}

	private record Waiter<T>(CompletableFuture<T> future, Instant deadline,
			Function<Instant, ? extends Throwable> tooLate) {

	}

}
