package dev.mcpstdio.server;

import java.util.concurrent.CompletableFuture;

import dev.mcpstdio.transport.McpStdioException;

/**
 * Where callers of a keep-alive server wait for a ready process: open while one runs,
 * closed while the server starts, restarts or backs off, and failed (every waiter told at
 * once) when the server is FAILED or stopped.
 */
final class ReadyGate<T> {

	private CompletableFuture<T> ready = new CompletableFuture<>();

	/** Lets every waiter, and every later caller, through to this process. */
	synchronized void open(T ready) {
		if (this.ready.isDone()) {
			this.ready = new CompletableFuture<>();
		}
		this.ready.complete(ready);
	}

	/** Makes later callers wait for the next process; waiters keep waiting. */
	synchronized void close() {
		if (this.ready.isDone()) {
			this.ready = new CompletableFuture<>();
		}
	}

	/** Fails every waiter with the reason; later callers wait for the next process. */
	synchronized void fail(McpStdioException why) {
		this.ready.completeExceptionally(why);
		this.ready = new CompletableFuture<>();
	}

	/** Completes with the ready process: at once while the gate is open. */
	synchronized CompletableFuture<T> await() {
		return this.ready;
	}

}
