package dev.mcpstdio.transport.pipe;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.function.Consumer;

import dev.mcpstdio.process.ManagedProcess;
import dev.mcpstdio.process.platform.DaemonThreads;
import org.jspecify.annotations.Nullable;

/**
 * The pipes of a running child: its stdin, written one whole line at a time by any number
 * of threads, and its stdout and stderr, each read to its end by a daemon thread named
 * after the server and the stream.
 */
public final class ChildPipes {

	private static final byte[] NEWLINE = { '\n' };

	private final ManagedProcess child;

	private final Object writeLock = new Object();

	private final Thread stdoutReader;

	private final Thread stderrReader;

	public ChildPipes(ManagedProcess child, Consumer<InputStream> stdout, Consumer<InputStream> stderr) {
		this.child = child;
		this.stdoutReader = DaemonThreads.start(threadName(child.name(), "stdout"),
				() -> stdout.accept(child.stdout()));
		this.stderrReader = DaemonThreads.start(threadName(child.name(), "stderr"),
				() -> stderr.accept(child.stderr()));
	}

	/** The child whose pipes these are. */
	public ManagedProcess child() {
		return this.child;
	}

	/** The name of a thread of the server's, for what it does. */
	public static String threadName(String server, String purpose) {
		return "mcp-stdio-" + server + "-" + purpose;
	}

	/** Writes one line to the child's stdin. */
	public void writeLine(byte[] bytes) throws IOException {
		OutputStream stdin = this.child.stdin();
		synchronized (this.writeLock) {
			stdin.write(bytes);
			stdin.write(NEWLINE);
			stdin.flush();
		}
	}

	/**
	 * Waits, up to the timeout for each, for both readers to reach the end of their
	 * streams, so a last response or stderr line of a child that exited is never lost.
	 */
	public void drain(Duration each) {
		join(this.stdoutReader, each);
		join(this.stderrReader, each);
	}

	/**
	 * Ends the readers once the child's tree is gone: what is left in the pipes is read
	 * at once, so both together get a short wait; then the pipes are closed, whatever a
	 * grandchild still holds open.
	 */
	public void close(Duration both) {
		long deadline = System.nanoTime() + both.toNanos();
		join(this.stdoutReader, Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
		join(this.stderrReader, Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
		this.child.closePipes();
	}

	private static void join(@Nullable Thread thread, Duration timeout) {
		long millis = timeout.toMillis();
		if (thread == null || thread == Thread.currentThread() || millis <= 0) {
			return; // join(0) would wait for ever
		}
		try {
			thread.join(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
