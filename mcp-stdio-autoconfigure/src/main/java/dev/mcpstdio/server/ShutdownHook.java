package dev.mcpstdio.server;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.mcpstdio.process.platform.DaemonThreads;

/**
 * The JVM shutdown hook of a registry, for an exit that never closes it
 * ({@code System.exit} in a CLI, no context shutdown hook). When a context close is under
 * way (Spring Boot's own hook), it waits for that close, so the servers stop in lifecycle
 * order after the web server's graceful shutdown; otherwise it stops every server itself.
 */
final class ShutdownHook {

	/** How long the hook waits for a context close to begin. */
	private static final Duration GRACE = Duration.ofSeconds(1);

	/** How long the hook waits for a context close under way to end. */
	private static final Duration CLOSE_WAIT = Duration.ofMinutes(2);

	private final Thread thread;

	/** Counted down when a context close begins, or the registry closes. */
	private final CountDownLatch closing = new CountDownLatch(1);

	/** Counted down when the registry has closed. */
	private final CountDownLatch closed = new CountDownLatch(1);

	private boolean registered;

	ShutdownHook(Runnable stopAll) {
		this.thread = DaemonThreads.of("mcp-stdio-shutdown", () -> run(stopAll));
	}

	synchronized void register() {
		if (!this.registered) {
			Runtime.getRuntime().addShutdownHook(this.thread);
			this.registered = true;
		}
	}

	/** A context close has begun: it stops the servers. */
	void closing() {
		this.closing.countDown();
	}

	/** The registry has closed: the hook has nothing left to do. */
	synchronized void closed() {
		this.closing.countDown();
		this.closed.countDown();
		if (this.registered) {
			try {
				Runtime.getRuntime().removeShutdownHook(this.thread);
			}
			catch (IllegalStateException ex) {
				// the JVM is shutting down: the hook runs, or already ran
			}
			this.registered = false;
		}
	}

	private void run(Runnable stopAll) {
		try {
			if (this.closing.await(GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
				this.closed.await(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		stopAll.run();
	}

}
