package dev.mcpstdio.process.orphan;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

import org.jspecify.annotations.Nullable;

/**
 * The orphan guard of a launcher, so that no child outlives this JVM however it dies: a
 * {@link Guardian} process kills the children's process groups and removes their
 * containers when the JVM dies; a {@link ProcessLedger} lets the next launcher reap
 * whatever was left; a JVM that is PID 1 reaps its orphans with the {@link Pid1Reaper}.
 */
public final class OrphanGuard {

	private final @Nullable ProcessLedger ledger;

	private final @Nullable Guardian guardian;

	private final SandboxInits sandboxInits;

	private OrphanGuard(@Nullable ProcessLedger ledger, @Nullable Guardian guardian) {
		this.ledger = ledger;
		this.guardian = guardian;
		this.sandboxInits = new SandboxInits(this::trackInit, this::untrackInit);
	}

	/**
	 * Sets up the guard of a launcher: once per JVM, where it is PID 1 of Linux, the
	 * reaper of its orphans; the ledger in the first private directory, after reaping
	 * what JVMs that died left there; the guardian process.
	 * @param ledgerDirectories where the ledger may be kept, the preferred first; none
	 * for no ledger
	 * @param guardian whether a guardian process runs
	 * @param spawner runs a task on the thread that spawns the launcher's children
	 * @return the guard
	 */
	public static OrphanGuard start(List<Path> ledgerDirectories, boolean guardian, Spawner spawner) {
		Pid1Reaper.startOnce();
		ProcessLedger ledger = ProcessLedger.open(ledgerDirectories, ProcessHandle.current()).orElse(null);
		if (ledger != null) {
			ledger.reapOrphans();
		}
		Guardian started = guardian ? spawner.call(Guardian::start).orElse(null) : null;
		return new OrphanGuard(ledger, started);
	}

	/**
	 * Kills what JVMs that died without stopping their children left in the ledger.
	 * @return how many processes were killed
	 */
	public int reapOrphans() {
		return (this.ledger != null) ? this.ledger.reapOrphans() : 0;
	}

	/**
	 * The variables every child's environment carries, by which the ledger knows the
	 * child and its descendants.
	 * @return the variables, none without a ledger
	 */
	public Map<String, String> childVariables() {
		return (this.ledger != null) ? Map.of(ProcessLedger.TOKEN_VARIABLE, this.ledger.token()) : Map.of();
	}

	/**
	 * Guards a child that was just started.
	 * @param child the child
	 * @param startTime when it started
	 * @param ownGroup whether it leads a process group of its own, which the guardian
	 * kills if this JVM dies
	 */
	public void track(ProcessHandle child, Instant startTime, boolean ownGroup) {
		if (ownGroup && this.guardian != null) {
			this.guardian.track(child.pid());
		}
		if (this.ledger != null) {
			this.ledger.add(child, startTime);
		}
	}

	/**
	 * Forgets a child whose tree is gone.
	 * @param pid the child's pid
	 * @param ownGroup whether it led a process group of its own
	 */
	public void untrack(long pid, boolean ownGroup) {
		if (ownGroup && this.guardian != null) {
			this.guardian.untrack(pid);
		}
		if (this.ledger != null) {
			this.ledger.remove(pid);
		}
		this.sandboxInits.release(pid);
	}

	/**
	 * Guards the init of a sandbox as well, once bubblewrap has made it: its first child,
	 * the process whose death ends every process of the sandbox's PID namespace. The
	 * guardian kills it and the ledger lists it, so that a server that left the process
	 * group still dies with this JVM.
	 * @param bwrap the bubblewrap process just started (tracked already)
	 */
	public void trackSandboxInit(ProcessHandle bwrap) {
		this.sandboxInits.find(bwrap);
	}

	/** The sandbox init found for a bubblewrap process, if any yet. */
	Optional<Long> sandboxInit(long bwrapPid) {
		return this.sandboxInits.initOf(bwrapPid);
	}

	private void trackInit(ProcessHandle init) {
		if (this.guardian != null) {
			this.guardian.trackProcess(init.pid());
		}
		if (this.ledger != null) {
			this.ledger.add(init, init.info().startInstant().orElseGet(Instant::now));
		}
	}

	private void untrackInit(long pid) {
		if (this.guardian != null) {
			this.guardian.untrackProcess(pid);
		}
		if (this.ledger != null) {
			this.ledger.remove(pid);
		}
	}

	/**
	 * Has the guardian, where one runs, remove a container if this JVM dies.
	 * @param runToken the value of the container's run label, {@code dev.mcpstdio.run}
	 * @param engine how the guardian removes it: {@code podman} without the stop grace
	 * period, any other the way docker does
	 * @param command how the guardian runs the engine's CLI: the engine variables that
	 * differ from this JVM's ({@code NAME=value} to set, {@code -NAME} to unset), then
	 * {@code --}, then the executable and its global options
	 * @param container the container, as a warning names it
	 */
	public void trackContainer(String runToken, String engine, List<String> command, Object container) {
		if (this.guardian != null) {
			this.guardian.trackContainer(runToken, engine, command, container);
		}
	}

	/**
	 * Forgets a container known to be gone.
	 * @param runToken the value of its run label
	 */
	public void untrackContainer(String runToken) {
		if (this.guardian != null) {
			this.guardian.untrackContainer(runToken);
		}
	}

	/**
	 * The guardian process, where one runs.
	 * @return its handle
	 */
	public Optional<ProcessHandle> guardian() {
		return Optional.ofNullable(this.guardian).map(Guardian::handle);
	}

	/** Runs a task on the thread that spawns a launcher's children, and waits for it. */
	@FunctionalInterface
	public interface Spawner {

		/**
		 * Runs the task on the spawning thread.
		 * @param <T> what it returns
		 * @param task the task
		 * @return its result
		 */
		<T> T call(Callable<T> task);

	}

}
