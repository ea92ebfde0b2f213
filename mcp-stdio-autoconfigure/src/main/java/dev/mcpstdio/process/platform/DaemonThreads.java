package dev.mcpstdio.process.platform;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads of the starter: daemon threads, so none can keep the JVM alive, each named
 * {@code mcp-stdio-...} after what it does.
 */
public final class DaemonThreads {

	private DaemonThreads() {
	}

	/**
	 * A daemon thread, not yet started.
	 * @param name its name
	 * @param body what it runs
	 * @return the thread
	 */
	public static Thread of(String name, Runnable body) {
		Thread thread = new Thread(body, name);
		thread.setDaemon(true);
		return thread;
	}

	/**
	 * Starts a daemon thread.
	 * @param name its name
	 * @param body what it runs
	 * @return the running thread
	 */
	public static Thread start(String name, Runnable body) {
		Thread thread = of(name, body);
		thread.start();
		return thread;
	}

	/**
	 * A factory of daemon threads.
	 * @param name the name of its threads; one ending in {@code -} is numbered
	 * @return the factory
	 */
	public static ThreadFactory factory(String name) {
		AtomicInteger count = new AtomicInteger();
		return (task) -> of(name.endsWith("-") ? name + count.incrementAndGet() : name, task);
	}

}
