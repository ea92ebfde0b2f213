package dev.mcpstdio.process.orphan;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import dev.mcpstdio.process.platform.DaemonThreads;
import dev.mcpstdio.process.platform.Platform;
import dev.mcpstdio.process.platform.ProcessTree;
import dev.mcpstdio.process.platform.Waitpid;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reaps the orphans of a JVM that is PID 1 (a container without an init). Orphaned
 * processes, such as the child of an MCP server that crashed, are reparented to PID 1;
 * Java waits only for the processes it started, so each would stay a zombie for ever.
 * Every {@link #INTERVAL} a daemon thread lists the zombie children of this JVM and
 * reaps, one pid at a time, each that the previous scan saw too. The JDK waits for each
 * child it started from the moment it starts, and reaps it as it exits, so a zombie that
 * lasts a whole interval is not the JDK's; {@code waitpid(-1)} is never called, since it
 * would take the exit status of the JDK's own children. Where {@code waitpid} cannot be
 * called (Java 17 to 21 without JNA), it says so at startup, with the fix.
 */
final class Pid1Reaper {

	/** How often the zombies are listed; a zombie is reaped at its second sighting. */
	static final Duration INTERVAL = Duration.ofSeconds(1);

	private static final Logger logger = LoggerFactory.getLogger(Pid1Reaper.class);

	private static final AtomicBoolean started = new AtomicBoolean();

	private final Supplier<Map<Long, Long>> zombies;

	private final Waitpid waitpid;

	private Map<Long, Long> seen = Map.of();

	/**
	 * A reaper.
	 * @param zombies the zombie children of this JVM: pid to start time
	 * @param waitpid how to reap one
	 */
	Pid1Reaper(Supplier<Map<Long, Long>> zombies, Waitpid waitpid) {
		this.zombies = zombies;
		this.waitpid = waitpid;
	}

	/**
	 * Once per JVM: where this JVM is PID 1 on Linux, starts reaping its orphans, or
	 * warns where it cannot; elsewhere does nothing.
	 */
	static void startOnce() {
		startOnce(Platform::waitpid);
	}

	/**
	 * Once per JVM, as {@link #startOnce()} does, with {@code waitpid} found by the given
	 * function (asked only when this JVM is PID 1).
	 */
	static void startOnce(Supplier<Optional<Waitpid>> waitpid) {
		if (started.compareAndSet(false, true)) {
			long self = ProcessHandle.current().pid();
			decide(self, Platform.isLinux(), waitpid).ifPresent((decision) -> start(self, decision));
		}
	}

	/**
	 * What a JVM does about orphans.
	 * @param pid the JVM's pid
	 * @param linux whether it runs on Linux
	 * @param waitpid how {@code waitpid} can be called
	 * @return nothing where the JVM is not PID 1 of Linux, else whether it reaps or warns
	 */
	static Optional<Decision> decide(long pid, boolean linux, Supplier<Optional<Waitpid>> waitpid) {
		if (pid != 1 || !linux) {
			return Optional.empty();
		}
		return Optional.of(new Decision(waitpid.get().orElse(null)));
	}

	private static void start(long self, Decision decision) {
		Waitpid waitpid = decision.waitpid();
		if (waitpid == null) {
			logger.warn(decision.message());
			return;
		}
		logger.info(decision.message());
		Pid1Reaper reaper = new Pid1Reaper(() -> ProcessTree.zombieChildren(self), waitpid);
		ScheduledExecutorService scheduler = Executors
			.newSingleThreadScheduledExecutor(DaemonThreads.factory("mcp-stdio-pid1-reaper"));
		scheduler.scheduleWithFixedDelay(reaper::reapQuietly, INTERVAL.toMillis(), INTERVAL.toMillis(),
				TimeUnit.MILLISECONDS);
	}

	/**
	 * One scan: reaps every zombie child that the previous scan saw too, with the same
	 * start time.
	 * @return how many were reaped
	 */
	synchronized int reap() {
		Map<Long, Long> waiting = new LinkedHashMap<>();
		int reaped = 0;
		for (Map.Entry<Long, Long> zombie : this.zombies.get().entrySet()) {
			long pid = zombie.getKey();
			if (zombie.getValue().equals(this.seen.get(pid)) && this.waitpid.reap(pid)) {
				logger.debug("Reaped orphaned process {}", pid);
				reaped++;
			}
			else {
				waiting.put(pid, zombie.getValue());
			}
		}
		this.seen = waiting;
		return reaped;
	}

	private void reapQuietly() {
		try {
			reap();
		}
		catch (RuntimeException ex) {
			// a failed scan must not end the schedule
			logger.debug("Could not reap orphaned processes", ex);
		}
	}

	/**
	 * What a JVM that is PID 1 does.
	 *
	 * @param waitpid how it reaps, or {@code null} where it cannot
	 */
	record Decision(@Nullable Waitpid waitpid) {

		/** Whether it reaps its orphans. */
		boolean reaps() {
			return this.waitpid != null;
		}

		/** What it logs at startup: INFO where it reaps, WARN where it cannot. */
		String message() {
			String pid1 = "This JVM is PID 1 (no init process): processes orphaned under it, such as the child"
					+ " of an MCP server that exited, are reparented to it, and Java reaps only the processes"
					+ " it started. ";
			if (this.waitpid != null) {
				return pid1 + "mcp-stdio reaps them every " + INTERVAL.toSeconds() + " s (through " + this.waitpid.via()
						+ ").";
			}
			return pid1 + "mcp-stdio cannot reap them on this JVM, so each stays a zombie: run the application"
					+ " under an init ('docker run --init', tini as the image's entrypoint, or"
					+ " 'shareProcessNamespace: true' in the Kubernetes pod spec), or let mcp-stdio reap them"
					+ " (Java 22 or later, or net.java.dev.jna:jna on the class path, with native access not"
					+ " denied).";
		}

	}

}
