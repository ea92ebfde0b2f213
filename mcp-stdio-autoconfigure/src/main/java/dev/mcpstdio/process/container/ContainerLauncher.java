package dev.mcpstdio.process.container;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

import dev.mcpstdio.process.orphan.OrphanGuard;
import org.jspecify.annotations.Nullable;

/**
 * The container side of launching: a server whose command runs a container with an
 * engine's CLI gets the starter's labels, a name and a cid file in its command line, and
 * its container is tracked by the orphan guard's guardian from before the launch until it
 * is known to be gone; the stop ladder ends with its removal; the containers that dead
 * JVMs left are swept at a context's start.
 */
public final class ContainerLauncher {

	private final ContainerOwner owner;

	private final ContainerReaper reaper;

	private final OrphanGuard orphans;

	/**
	 * A launcher of the containers of this JVM.
	 * @param orphans the orphan guard, whose guardian removes the containers if this JVM
	 * dies
	 */
	public ContainerLauncher(OrphanGuard orphans) {
		this.owner = ContainerOwner.current();
		this.reaper = new ContainerReaper(Clock.systemUTC(), ContainerReaper.Sleeper.REAL, this.owner);
		this.orphans = orphans;
	}

	/**
	 * Launches a command line that runs a container.
	 * @param <T> the running child
	 * @param server the server's name
	 * @param command its command line
	 * @param settings its container settings
	 * @param runOptions options of {@code run} that confine the container, each added
	 * unless the user gave that option
	 * @param launch how the launcher builds and starts a command line
	 * @return the running child, or empty where the command is not a container engine's
	 * CLI running {@code run}
	 */
	public <T> Optional<T> launch(String server, List<String> command, ContainerSettings settings,
			List<String> runOptions, Launch<T> launch) {
		return ContainerCommand.of(command, settings).map((run) -> launch(server, run, settings, runOptions, launch));
	}

	/**
	 * Whether a command line runs a container: it is a container engine's CLI running
	 * {@code run}.
	 * @param command the command line
	 * @param settings its container settings
	 * @return whether it does
	 */
	public static boolean isContainer(List<String> command, ContainerSettings settings) {
		return ContainerCommand.of(command, settings).isPresent();
	}

	private <T> T launch(String server, ContainerCommand command, ContainerSettings settings, List<String> runOptions,
			Launch<T> launch) {
		String token = runToken();
		String name = command.hasUserName() ? null : containerName(server, token);
		Map<String, String> labels = new LinkedHashMap<>(this.owner.labels(server));
		labels.put(Container.RUN_LABEL, token);
		Path cidFile = command.hasUserCidFile() ? null : cidFile();
		Container container = null;
		try {
			List<String> rewritten = command.rewrite(labels, name, cidFile, settings, runOptions);
			ProcessBuilder builder = launch.builder(rewritten);
			container = new Container(this.reaper, cli(command, builder, rewritten.size()), token, name, cidFile);
			EngineCli cli = container.cli();
			this.orphans.trackContainer(token, cli.removalEngine().displayName(), cli.guardianCommand(), container);
			return launch.start(builder, container);
		}
		catch (RuntimeException ex) {
			if (container != null) {
				this.orphans.untrackContainer(token);
			}
			Container.deleteCidFile(cidFile);
			throw ex;
		}
	}

	/**
	 * The application's variables that reach the engine's CLI of a command that runs a
	 * container, whatever the server's inherit-env says: the engine's own (DOCKER_HOST,
	 * CONTAINER_HOST, XDG_RUNTIME_DIR, ...), without which the CLI and the starter's own
	 * engine commands would reach another engine.
	 * @param command the server's command
	 * @param settings its container settings
	 * @return the names, or none where the command runs no container
	 */
	public static Predicate<String> engineVariables(List<String> command, ContainerSettings settings) {
		return ContainerCommand.of(command, settings).isPresent() ? EngineCli::isEngineVariable : (name) -> false;
	}

	/**
	 * Removes a container, the last rung of the stop ladder, and waits until it is gone,
	 * up to the timeout.
	 * @param container the container
	 * @param timeout how long to wait at most
	 * @return whether it is known to be gone
	 */
	public static boolean remove(Container container, Duration timeout) {
		return container.remove(timeout);
	}

	/**
	 * The child of a container ended and was released: a container known to be gone
	 * leaves the guardian; one whose removal was not confirmed stays with it.
	 * @param container the container
	 */
	public void released(Container container) {
		if (container.removed()) {
			this.orphans.untrackContainer(container.runToken());
		}
	}

	/**
	 * Removes the containers that dead JVMs left, on every engine (CLI, global options
	 * and engine variables) the servers run containers with.
	 * @param servers the servers
	 * @return how many containers were removed
	 */
	public int reapOrphans(Collection<Server> servers) {
		// an engine is its CLI, global options and engine variables
		Map<List<Object>, EngineCli> engines = new LinkedHashMap<>();
		for (Server server : servers) {
			ContainerCommand.of(server.command(), server.settings())
				.ifPresent((command) -> server.builder()
					.apply(server.command())
					.map((builder) -> cli(command, builder, server.command().size()))
					.ifPresent((cli) -> engines.putIfAbsent(List.of(cli.prefix(), cli.engineVariables()), cli)));
		}
		int removed = 0;
		for (EngineCli cli : engines.values()) {
			removed += this.reaper.sweep(cli);
		}
		return removed;
	}

	/**
	 * The engine's CLI of a process builder whose command line ends with a command line
	 * of so many words (the launcher's own words come first).
	 */
	private static EngineCli cli(ContainerCommand command, ProcessBuilder builder, int commandSize) {
		List<String> words = builder.command();
		return new EngineCli(command.engine(), Path.of(words.get(words.size() - commandSize)), command.globalOptions(),
				builder.environment());
	}

	/** The value of the run label: unique to one launch. */
	private static String runToken() {
		byte[] bytes = new byte[16];
		new SecureRandom().nextBytes(bytes);
		return HexFormat.of().formatHex(bytes);
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

	/**
	 * A server whose containers the sweep looks for.
	 *
	 * @param command its command line
	 * @param settings its container settings
	 * @param builder how the launcher builds the process of a command line of the server:
	 * empty where its executable is not found (the launch will say so)
	 */
	public record Server(List<String> command, ContainerSettings settings,
			Function<List<String>, Optional<ProcessBuilder>> builder) {

	}

	/**
	 * How the launcher builds and starts a command line of one server.
	 *
	 * @param <T> the running child
	 */
	public interface Launch<T> {

		/**
		 * The process builder of a command line.
		 * @param command the command line
		 * @return its builder
		 */
		ProcessBuilder builder(List<String> command);

		/**
		 * Starts the process of a container.
		 * @param builder its builder
		 * @param container its container
		 * @return the running child
		 */
		T start(ProcessBuilder builder, Container container);

	}

}
