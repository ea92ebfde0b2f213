package dev.mcpstdio.process;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.mcpstdio.process.platform.DaemonThreads;
import org.jspecify.annotations.Nullable;

/**
 * Tells when children exit, without the JDK's {@code Process.onExit()}, whose completion
 * runs on the ForkJoin common pool: where the application keeps that pool busy, or it has
 * a single thread (two cores, on recent JDKs), an exit would go unnoticed until the pool
 * is free. One daemon thread for the whole JVM waits for the oldest child it watches,
 * which wakes it the moment that child exits, and looks at the others at least every
 * {@link #SCAN_MILLIS} ms.
 */
final class ExitWatch {

	/** How often, at the longest, the children are looked at. */
	static final long SCAN_MILLIS = 10;

	private static final ExitWatch SHARED = new ExitWatch();

	/** The children watched, the oldest first. */
	private final Map<Process, CompletableFuture<Process>> watched = new LinkedHashMap<>();

	private @Nullable Thread thread;

	/**
	 * Completes, on the watch's thread, when the process has exited.
	 * @param process a child of this JVM
	 * @return its exit
	 */
	static CompletableFuture<Process> onExit(Process process) {
		return SHARED.watch(process);
	}

	synchronized CompletableFuture<Process> watch(Process process) {
		if (!process.isAlive()) {
			return CompletableFuture.completedFuture(process);
		}
		CompletableFuture<Process> exited = this.watched.get(process);
		if (exited == null) {
			exited = new CompletableFuture<>();
			this.watched.put(process, exited);
			if (this.thread == null) {
				this.thread = DaemonThreads.start("mcp-stdio-exit-watch", this::run);
			}
			notifyAll();
		}
		return exited;
	}

	private void run() {
		while (true) {
			Process oldest = oldest();
			try {
				oldest.waitFor(SCAN_MILLIS, TimeUnit.MILLISECONDS);
			}
			catch (InterruptedException ex) {
				// the watch's own thread: nothing asks it to end
			}
			exited().forEach((process, exit) -> exit.complete(process));
		}
	}

	/** The oldest child watched, once there is one. */
	private synchronized Process oldest() {
		while (this.watched.isEmpty()) {
			try {
				wait();
			}
			catch (InterruptedException ex) {
				// the watch's own thread: nothing asks it to end
			}
		}
		return this.watched.keySet().iterator().next();
	}

	/** Takes the children that have exited out of the watch. */
	private synchronized Map<Process, CompletableFuture<Process>> exited() {
		Map<Process, CompletableFuture<Process>> exited = new LinkedHashMap<>();
		this.watched.entrySet().removeIf((watch) -> {
			if (watch.getKey().isAlive()) {
				return false;
			}
			exited.put(watch.getKey(), watch.getValue());
			return true;
		});
		return exited;
	}

}
