package dev.mcpstdio.process;

import java.io.Closeable;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Set;

import dev.mcpstdio.process.container.Container;
import dev.mcpstdio.process.container.ContainerLauncher;
import dev.mcpstdio.process.platform.DaemonThreads;
import dev.mcpstdio.process.platform.ProcessTree;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops a child and its whole process tree: close stdin and wait, SIGTERM to every
 * process of the tree and wait, SIGKILL to what is left and wait until it is reaped. The
 * child's stdout and stderr are left open for their readers to reach the end. A child
 * that runs a container has it removed last.
 */
final class StopLadder {

	private static final Logger logger = LoggerFactory.getLogger(StopLadder.class);

	private final Clock clock;

	private final ExitWaiter waiter;

	StopLadder(Clock clock, ExitWaiter waiter) {
		this.clock = clock;
		this.waiter = waiter;
	}

	StopReport stop(ManagedProcess process, StopTimeouts timeouts) {
		Instant start = this.clock.instant();
		Process child = process.process();
		String name = process.name();
		long pid = child.pid();
		boolean interrupted = Thread.interrupted();
		StopStep step;
		int survivors = 0;
		try {
			Set<ProcessHandle> tree = collect(process, Set.of(child.toHandle()));
			if (!child.isAlive() && ProcessTree.alive(tree).isEmpty()) {
				step = StopStep.ALREADY_EXITED;
			}
			else if (closeStdinAndWait(process, tree, timeouts.eof())) {
				step = StopStep.EOF;
			}
			else {
				tree = collect(process, tree);
				Set<ProcessHandle> running = ProcessTree.alive(tree);
				logger.warn(
						"MCP server '{}' (pid {}) still running {} after stdin EOF: sending SIGTERM to {} process(es)",
						name, pid, timeouts.eof(), running.size());
				running.forEach(ProcessHandle::destroy);
				if (awaitUninterruptibly(child, tree, timeouts.term()) && nothingLeft(process)) {
					step = StopStep.SIGTERM;
				}
				else {
					tree = collect(process, tree);
					running = ProcessTree.alive(tree);
					logger.warn(
							"MCP server '{}' (pid {}) still running {} after SIGTERM: sending SIGKILL to {} process(es)",
							name, pid, timeouts.term(), running.size());
					running.forEach(ProcessHandle::destroyForcibly);
					awaitUninterruptibly(child, tree, StopTimeouts.KILL_GRACE);
					survivors = ProcessTree.alive(tree).size();
					step = StopStep.SIGKILL;
				}
			}
		}
		finally {
			closeStdin(process);
			if (interrupted) {
				Thread.currentThread().interrupt();
			}
		}
		process.container().ifPresent((container) -> removeContainer(container, start.plus(timeouts.bound())));
		if (survivors > 0) {
			logger.error("MCP server '{}' (pid {}): {} process(es) of its tree survived SIGKILL", name, pid, survivors);
		}
		int exitCode = child.isAlive() ? -1 : child.exitValue();
		return new StopReport(pid, step, exitCode, Duration.between(start, this.clock.instant()), survivors);
	}

	/**
	 * The last rung for a child that runs a container: the engine keeps a container whose
	 * CLI is gone, so it is removed, within what is left of the stop's bound.
	 */
	private void removeContainer(Container container, Instant deadline) {
		Duration left = Duration.between(this.clock.instant(), deadline);
		logger.debug("Removing {}", container);
		ContainerLauncher.remove(container, left.isNegative() ? Duration.ZERO : left);
	}

	private boolean closeStdinAndWait(ManagedProcess process, Set<ProcessHandle> tree, Duration eofTimeout) {
		closeStdin(process);
		return awaitUninterruptibly(process.process(), tree, eofTimeout) && nothingLeft(process);
	}

	/**
	 * Whether nothing the tree started meanwhile is left: on Linux, whether its process
	 * group is empty (one scan of /proc); elsewhere the exit of the collected tree is all
	 * that can be known.
	 */
	private static boolean nothingLeft(ManagedProcess process) {
		return process.groupId() <= 0 || ProcessTree.groupMembers(process.groupId()).isEmpty();
	}

	/**
	 * Closes the child's stdin without waiting: a writer blocked on a full pipe holds the
	 * stream's lock, and only the signals that follow free it.
	 */
	static void closeStdin(ManagedProcess process) {
		DaemonThreads.start("mcp-stdio-" + process.name() + "-stdin-close", () -> closeQuietly(process.stdin()));
	}

	private boolean awaitUninterruptibly(Process child, Set<ProcessHandle> tree, Duration timeout) {
		Instant deadline = this.clock.instant().plus(timeout);
		boolean interrupted = false;
		try {
			while (true) {
				Duration left = Duration.between(this.clock.instant(), deadline);
				try {
					return this.waiter.awaitExit(child, tree, left.isNegative() ? Duration.ZERO : left);
				}
				catch (InterruptedException ex) {
					// a stop is never cut short: the tree must be gone when it returns
					interrupted = true;
				}
			}
		}
		finally {
			if (interrupted) {
				Thread.currentThread().interrupt();
			}
		}
	}

	private static Set<ProcessHandle> collect(ManagedProcess process, Set<ProcessHandle> known) {
		Set<ProcessHandle> roots = new LinkedHashSet<>(known);
		roots.add(process.process().toHandle());
		return ProcessTree.collect(roots, process.groupId());
	}

	static void closeQuietly(Closeable closeable) {
		try {
			closeable.close();
		}
		catch (IOException ex) {
			// already closed, or the child is gone: nothing to do
		}
	}

}
