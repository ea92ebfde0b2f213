package dev.mcpstdio.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The container side of launching: a server whose command runs a container with an
 * engine's CLI gets the starter's labels, a name and a cid file in its command line, and
 * its container is tracked by the guardian from before the launch until it is known to be
 * gone; the containers that dead JVMs left are swept at a context's start.
 */
final class ContainerLauncher {

	private final ContainerOwner owner;

	private final ContainerReaper reaper;

	private final @Nullable Guardian guardian;

	private final int prefixSize;

	/**
	 * @param owner the JVM that owns the containers
	 * @param reaper removes containers
	 * @param guardian the guardian, where one runs
	 * @param prefixSize how many words the launcher puts before a command's executable
	 */
	ContainerLauncher(ContainerOwner owner, ContainerReaper reaper, @Nullable Guardian guardian, int prefixSize) {
		this.owner = owner;
		this.reaper = reaper;
		this.guardian = guardian;
		this.prefixSize = prefixSize;
	}

	/**
	 * Launches a container command.
	 * @param spec the server
	 * @param command its command, a container engine's CLI running {@code run}
	 * @param launch how the launcher builds and starts a command line
	 * @return the running child
	 */
	ManagedProcess launch(ProcessSpec spec, ContainerCommand command, Launch launch) {
		String token = ProcessLedger.randomToken();
		String name = command.hasUserName() ? null : containerName(spec.name(), token);
		Map<String, String> labels = new LinkedHashMap<>(this.owner.labels(spec.name()));
		labels.put(Container.RUN_LABEL, token);
		Path cidFile = command.hasUserCidFile() ? null : cidFile();
		Container container = null;
		try {
			ProcessBuilder builder = launch.builder(command.rewrite(labels, name, cidFile, spec.container()));
			container = new Container(this.reaper, cli(command, builder), token, name, cidFile);
			if (this.guardian != null) {
				this.guardian.track(container);
			}
			return launch.start(builder, container);
		}
		catch (RuntimeException ex) {
			if (container != null && this.guardian != null) {
				this.guardian.untrack(container);
			}
			Container.deleteCidFile(cidFile);
			throw ex;
		}
	}

	/**
	 * The child of a container ended and was released: a container known to be gone
	 * leaves the guardian; one whose removal was not confirmed stays with it.
	 */
	void released(Container container) {
		if (this.guardian != null && container.removed()) {
			this.guardian.untrack(container);
		}
	}

	/**
	 * Removes the containers that dead JVMs left, on every engine (CLI, global options
	 * and engine variables) the servers run containers with.
	 * @param specs the servers
	 * @param builders how the launcher builds a command line
	 * @return how many containers were removed
	 */
	int reapOrphans(Collection<ProcessSpec> specs, Builders builders) {
		// an engine is its CLI, global options and engine variables
		Map<List<Object>, EngineCli> engines = new LinkedHashMap<>();
		for (ProcessSpec spec : specs) {
			ContainerCommand.of(spec.command(), spec.container()).ifPresent((command) -> {
				try {
					EngineCli cli = cli(command, builders.builder(spec, spec.command()));
					engines.putIfAbsent(List.of(cli.prefix(), cli.engineVariables()), cli);
				}
				catch (ProcessLaunchException ex) {
					// not installed: the launch will say so
				}
			});
		}
		int removed = 0;
		for (EngineCli cli : engines.values()) {
			removed += this.reaper.sweep(cli);
		}
		return removed;
	}

	private EngineCli cli(ContainerCommand command, ProcessBuilder builder) {
		return new EngineCli(command.engine(), Path.of(builder.command().get(this.prefixSize)), command.globalOptions(),
				builder.environment());
	}

	private static String containerName(String server, String token) {
		String safe = server.replaceAll("[^a-zA-Z0-9_.-]", "-");
		return "mcp-stdio-" + safe + "-" + token.substring(0, 12);
	}

	/**
	 * A path in a new private directory where the engine writes the container's id, or
	 * {@code null} where no such directory can be made.
	 */
	private static @Nullable Path cidFile() {
		try {
			return Files.createTempDirectory("mcp-stdio-container-").resolve("cid");
		}
		catch (IOException | RuntimeException ex) {
			return null;
		}
	}

	/** How the launcher builds the process of a server's command line. */
	@FunctionalInterface
	interface Builders {

		/**
		 * The process builder of a command line of a server.
		 * @param spec the server
		 * @param command the command line
		 * @return its builder
		 * @throws ProcessLaunchException if its executable cannot be found
		 */
		ProcessBuilder builder(ProcessSpec spec, List<String> command);

	}

	/** How the launcher builds and starts a command line of one server. */
	interface Launch {

		/**
		 * The process builder of a command line.
		 * @param command the command line
		 * @return its builder
		 * @throws ProcessLaunchException if its executable cannot be found
		 */
		ProcessBuilder builder(List<String> command);

		/**
		 * Starts the process of a container.
		 * @param builder its builder
		 * @param container its container
		 * @return the running child
		 */
		ManagedProcess start(ProcessBuilder builder, Container container);

	}

}
