package dev.mcpstdio.server;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

import static org.awaitility.Awaitility.await;

/**
 * Calls made on a thread of their own, handed back once that thread waits inside them:
 * the event a test waits for before it changes what the call waits on.
 */
final class WaitingCalls {

	private WaitingCalls() {
	}

	static <T> CompletableFuture<T> waiting(Executor callers, Supplier<T> call)
			throws InterruptedException, ExecutionException {
		CompletableFuture<Thread> calling = new CompletableFuture<>();
		CompletableFuture<T> result = CompletableFuture.supplyAsync(() -> {
			calling.complete(Thread.currentThread());
			return call.get();
		}, callers);
		Thread caller = calling.get();
		await().atMost(Duration.ofSeconds(10))
			.until(() -> caller.getState() == Thread.State.WAITING || caller.getState() == Thread.State.TIMED_WAITING);
		return result;
	}

}
