package dev.mcpstdio.transport;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A blocking call on a thread of its own, for the tests that interrupt a caller: what it
 * threw, and whether its interrupt flag was still set when it did.
 */
public final class InterruptedCall {

	private final Thread thread;

	private final CompletableFuture<Throwable> failure = new CompletableFuture<>();

	private volatile boolean stillInterrupted;

	private InterruptedCall(Runnable call) {
		this.thread = new Thread(() -> {
			try {
				call.run();
				this.failure.completeExceptionally(new AssertionError("the call returned"));
			}
			catch (Throwable ex) {
				this.stillInterrupted = Thread.currentThread().isInterrupted();
				this.failure.complete(ex);
			}
		}, "interrupted-caller");
	}

	/** Starts the call. */
	public static InterruptedCall start(Runnable call) {
		InterruptedCall started = new InterruptedCall(call);
		started.thread.start();
		return started;
	}

	public void interrupt() {
		this.thread.interrupt();
	}

	/** What the call threw, within 10 seconds of now (it should be at once). */
	public Throwable failure() throws Exception {
		return this.failure.get(Duration.ofSeconds(10).toMillis(), TimeUnit.MILLISECONDS);
	}

	public boolean stillInterrupted() {
		return this.stillInterrupted;
	}

}
