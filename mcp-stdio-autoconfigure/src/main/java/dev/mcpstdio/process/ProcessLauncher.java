package dev.mcpstdio.process;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.mcpstdio.process.container.Container;
import dev.mcpstdio.process.container.ContainerLauncher;
import dev.mcpstdio.process.orphan.OrphanGuard;
import dev.mcpstdio.process.platform.DaemonThreads;
import dev.mcpstdio.process.platform.Platform;
import dev.mcpstdio.process.sandbox.Confined;
import dev.mcpstdio.process.sandbox.Confiner;
import dev.mcpstdio.process.sandbox.ConfinementException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Launches children so that none outlives this JVM: each is spawned from one long-lived
 * thread, as the leader of a process group of its own, with a parent-death signal where
 * Linux offers {@code setpriv}; the {@link OrphanGuard} kills the groups when the JVM
 * dies and lets the next launcher reap whatever was left. A command that runs a container
 * is launched through the {@link ContainerLauncher}.
 */
public final class ProcessLauncher {

	private static final Logger logger = LoggerFactory.getLogger(ProcessLauncher.class);

	/**
	 * The tools of a confinement that the system's own do where the server's PATH has
	 * none; bubblewrap and socat are the server's to have.
	 */
	private static final Set<String> STARTERS_TOOLS = Set.of("prlimit", "sh");

	private static volatile @Nullable ProcessLauncher shared;

	private final Options options;

	private final ExecutorService spawner;

	private final OrphanGuard orphans;

	private final ChildCommands commands;

	private final boolean ownGroups;

	private final StopLadder ladder;

	private final ContainerLauncher containers;

	private final Confiner confiner;

	/**
	 * Creates a launcher; it reaps what JVMs that died left in its ledger directory.
	 * @param options what protection against orphans to set up
	 */
	public ProcessLauncher(Options options) {
		this(options, new StopLadder(Clock.systemUTC(), ExitWaiter.POLLING));
	}

	ProcessLauncher(Options options, StopLadder ladder) {
		this.options = options;
		this.ladder = ladder;
		this.spawner = Executors.newSingleThreadExecutor(DaemonThreads.factory("mcp-stdio-spawner"));
		this.orphans = OrphanGuard.start(options.ledgerDirectories(), options.guardian(), this::submit);
		this.commands = new ChildCommands(options.processGroups(), options.parentDeathSignal(),
				this.orphans::childVariables);
		this.ownGroups = this.commands.ownGroups();
		this.containers = new ContainerLauncher(this.orphans);
		this.confiner = new Confiner(options.ledgerDirectories());
	}

	/** The launcher the whole JVM shares, with every protection on. */
	public static ProcessLauncher shared() {
		ProcessLauncher launcher = shared;
		if (launcher == null) {
			synchronized (ProcessLauncher.class) {
				launcher = shared;
				if (launcher == null) {
					launcher = new ProcessLauncher(Options.defaults());
					shared = launcher;
				}
			}
		}
		return launcher;
	}

	/**
	 * Kills what JVMs that died without stopping their children (killed outright, where
	 * neither the guardian nor the parent-death signal could act) left in the ledger.
	 * @return how many processes were killed
	 */
	public int reapOrphans() {
		return this.orphans.reapOrphans();
	}

	/**
	 * Removes the containers that JVMs which died without stopping their servers left
	 * behind, on the engines that the given servers run containers with. Only containers
	 * the starter labelled in this scope (boot and pid namespace) are considered, and
	 * only those whose JVM no longer runs are removed.
	 * @param specs the servers whose engines are looked at
	 * @return how many containers were removed
	 */
	public int reapOrphanContainers(Collection<ProcessSpec> specs) {
		return this.containers.reapOrphans(specs.stream()
			.map((spec) -> new ContainerLauncher.Server(spec.command(), spec.container(),
					(command) -> foundProcessBuilder(spec, command)))
			.toList());
	}

	private Optional<ProcessBuilder> foundProcessBuilder(ProcessSpec spec, List<String> command) {
		try {
			return Optional.of(this.commands.processBuilder(spec, command, null));
		}
		catch (ProcessLaunchException ex) {
			// not installed: the launch will say so
			return Optional.empty();
		}
	}

	/**
	 * Launches a child.
	 * @param spec what to run
	 * @return the running child
	 * @throws ProcessLaunchException if the command cannot be found or started
	 */
	public ManagedProcess launch(ProcessSpec spec) {
		List<String> runOptions = ContainerLauncher.isContainer(spec.command(), spec.container()) ? runOptions(spec)
				: List.of();
		return this.containers.launch(spec.name(), spec.command(), spec.container(), runOptions,
				new ContainerLauncher.Launch<ManagedProcess>() {

					@Override
					public ProcessBuilder builder(List<String> command) {
						return ProcessLauncher.this.commands.processBuilder(spec, command, null);
					}

					@Override
					public ManagedProcess start(ProcessBuilder builder, Container container) {
						return launch(spec, builder, container, Confiner.ofContainer(spec.confinement()));
					}

				})
			.orElseGet(() -> {
				Confined confined = confine(spec);
				try {
					return launch(spec, this.commands.processBuilder(spec, spec.command(), confined), null, confined);
				}
				catch (RuntimeException ex) {
					confined.close();
					throw ex;
				}
			});
	}

	private static List<String> runOptions(ProcessSpec spec) {
		try {
			return Confiner.runOptions(spec.name(), spec.confinement());
		}
		catch (ConfinementException ex) {
			throw new ProcessLaunchException(spec.name(), spec.command(), ex.getMessage(), ex);
		}
	}

	private Confined confine(ProcessSpec spec) {
		Map<String, String> environment = spec.environment(System.getenv());
		CommandResolver resolver = new CommandResolver(environment);
		Path workingDirectory = (spec.workingDirectory() != null) ? spec.workingDirectory().toAbsolutePath() : null;
		try {
			return this.confiner.confine(spec.name(), spec.confinement(), workingDirectory, spec.command(),
					(tool) -> resolver.resolve(tool, null)
						.or(() -> STARTERS_TOOLS.contains(tool) ? Platform.systemTool(tool) : Optional.empty()));
		}
		catch (ConfinementException ex) {
			throw new ProcessLaunchException(spec.name(), spec.command(), ex.getMessage(), ex);
		}
	}

	private ManagedProcess launch(ProcessSpec spec, ProcessBuilder builder, @Nullable Container container,
			Confined confined) {
		Process process = submit(() -> {
			try {
				return builder.start();
			}
			catch (IOException ex) {
				throw new ProcessLaunchException(spec.name(), spec.command(), "MCP server '" + spec.name()
						+ "' could not be started: " + ex.getMessage() + ". Check its command and working-directory.",
						ex);
			}
		});
		boolean ownGroup = this.ownGroups;
		long pid = process.pid();
		ManagedProcess managed = new ManagedProcess(spec.name(), process, ownGroup, this.ladder, () -> {
			released(pid, ownGroup, container);
			confined.close();
		}, container, confined);
		this.orphans.track(managed.handle(), managed.startTime(), ownGroup);
		if (confined.hasSandboxInit()) {
			this.orphans.trackSandboxInit(managed.handle());
		}
		if (container != null) {
			logger.debug("Started MCP server '{}' with pid {} in {}", spec.name(), pid, container);
		}
		else {
			logger.debug("Started MCP server '{}' with pid {} (sandbox: {})", spec.name(), pid, confined.sandbox());
		}
		return managed;
	}

	/** The guardian process of this launcher, where one runs. */
	public Optional<ProcessHandle> guardian() {
		return this.orphans.guardian();
	}

	private void released(long pid, boolean ownGroup, @Nullable Container container) {
		this.orphans.untrack(pid, ownGroup);
		if (container != null) {
			this.containers.released(container);
		}
	}

	private <T> T submit(Callable<T> task) {
		Future<T> future = this.spawner.submit(task);
		boolean interrupted = false;
		try {
			while (true) {
				try {
					return future.get();
				}
				catch (InterruptedException ex) {
					// the spawn is under way: let it finish so its child is not lost
					interrupted = true;
				}
				catch (ExecutionException ex) {
					if (ex.getCause() instanceof RuntimeException runtime) {
						throw runtime;
					}
					throw new IllegalStateException(ex.getCause());
				}
			}
		}
		finally {
			if (interrupted) {
				Thread.currentThread().interrupt();
			}
		}
	}

	/**
	 * The protections a launcher sets up.
	 *
	 * @param processGroups whether each child leads a process group of its own, so its
	 * orphaned descendants can be found and killed (needs {@code setsid})
	 * @param parentDeathSignal whether children get SIGKILL when the spawning thread dies
	 * (Linux, needs {@code setpriv})
	 * @param guardian whether a guardian process kills the children's groups when the JVM
	 * dies
	 * @param ledgerDirectories where the ledger of children may be kept, the preferred
	 * first: the first that is private (or can be made so) is used; none for no ledger
	 */
	public record Options(boolean processGroups, boolean parentDeathSignal, boolean guardian,
			List<Path> ledgerDirectories) {

		public Options {
			ledgerDirectories = List.copyOf(ledgerDirectories);
		}

		/**
		 * The protections with the ledger in one directory only.
		 * @param processGroups see {@link #processGroups()}
		 * @param parentDeathSignal see {@link #parentDeathSignal()}
		 * @param guardian see {@link #guardian()}
		 * @param ledgerDirectory the ledger's directory
		 */
		public Options(boolean processGroups, boolean parentDeathSignal, boolean guardian, Path ledgerDirectory) {
			this(processGroups, parentDeathSignal, guardian, List.of(ledgerDirectory));
		}

		/** Every protection, the ledger in {@link #defaultLedgerDirectories()}. */
		public static Options defaults() {
			return new Options(true, true, true, defaultLedgerDirectories());
		}

		/**
		 * {@code ${java.io.tmpdir}/mcp-stdio-ledger-<user>}, or where that is not
		 * private, {@code $XDG_RUNTIME_DIR/mcp-stdio-ledger} or
		 * {@code ~/.cache/mcp-stdio/ledger}.
		 */
		public static List<Path> defaultLedgerDirectories() {
			List<Path> directories = new ArrayList<>();
			directories.add(Path.of(System.getProperty("java.io.tmpdir"),
					"mcp-stdio-ledger-" + System.getProperty("user.name")));
			String runtime = System.getenv("XDG_RUNTIME_DIR");
			if (runtime != null && !runtime.isBlank()) {
				directories.add(Path.of(runtime, "mcp-stdio-ledger"));
			}
			directories.add(Path.of(System.getProperty("user.home"), ".cache", "mcp-stdio", "ledger"));
			return directories;
		}

	}

}
