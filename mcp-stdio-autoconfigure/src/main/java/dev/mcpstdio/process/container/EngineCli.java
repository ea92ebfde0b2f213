package dev.mcpstdio.process.container;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.mcpstdio.process.platform.DaemonThreads;
import dev.mcpstdio.process.platform.Platform;

/**
 * Runs a command of a container engine's CLI ({@code rm}, {@code ps}, {@code inspect}) in
 * the environment and with the global options the server runs with, and collects what it
 * prints.
 *
 * @param engine which engine the CLI is
 * @param executable the CLI's executable
 * @param globalOptions the options the server's command gives before {@code run}
 * ({@code --context remote}, {@code -H tcp://...}, {@code --root ...}), so that every
 * command reaches the same engine and storage
 * @param environment the environment it runs with (the server's, so it reaches the same
 * engine)
 */
record EngineCli(ContainerEngine engine, Path executable, List<String> globalOptions, Map<String, String> environment) {

	EngineCli {
		globalOptions = List.copyOf(globalOptions);
		environment = Map.copyOf(environment);
	}

	/**
	 * The variables of its environment that may choose the engine, where it keeps its
	 * containers, or the host or context the CLI talks to.
	 */
	Map<String, String> engineVariables() {
		Map<String, String> variables = new TreeMap<>();
		this.environment.forEach((name, value) -> {
			if (isEngineVariable(name)) {
				variables.put(name, value);
			}
		});
		return variables;
	}

	/** Whether a variable is one of {@link #engineVariables()}. */
	static boolean isEngineVariable(String name) {
		return name.matches("(DOCKER|CONTAINER|CONTAINERS|CONTAINERD|NERDCTL|PODMAN|BUILDKIT)_[A-Za-z0-9_]*"
				+ "|STORAGE_DRIVER|STORAGE_OPTS|XDG_[A-Z_]+|HOME");
	}

	/**
	 * The executable and the global options: what every command of this CLI starts with.
	 */
	List<String> prefix() {
		List<String> prefix = new ArrayList<>();
		prefix.add(this.executable.toString());
		prefix.addAll(this.globalOptions);
		return prefix;
	}

	/**
	 * The engine whose removal this CLI does: podman for a {@code docker} that is
	 * podman's docker shim, else its own.
	 */
	ContainerEngine removalEngine() {
		return (this.engine == ContainerEngine.DOCKER && PodmanShim.isPodman(this.executable)) ? ContainerEngine.PODMAN
				: this.engine;
	}

	/** The arguments that remove containers at once, running or not. */
	List<String> removeArguments(List<String> containers) {
		return removalEngine().removeArguments(containers);
	}

	/**
	 * How the guardian runs this CLI from the JVM's environment: the engine variables
	 * where the server's differ from the JVM's ({@code NAME=value} to set, {@code -NAME}
	 * to unset), then {@code --}, then the {@link #prefix()}.
	 */
	List<String> guardianCommand() {
		List<String> words = new ArrayList<>();
		Map<String, String> server = engineVariables();
		server.forEach((name, value) -> {
			if (!value.equals(System.getenv(name))) {
				words.add(name + "=" + value);
			}
		});
		System.getenv().keySet().forEach((name) -> {
			if (isEngineVariable(name) && !server.containsKey(name)) {
				words.add("-" + name);
			}
		});
		words.add("--");
		words.addAll(prefix());
		return words;
	}

	/**
	 * Runs the CLI and waits for it up to the timeout. A removal ({@code rm}) still
	 * running then is left to finish on its own; any other command is killed, so that a
	 * CLI that hangs on an engine that does not answer is not left behind.
	 * @param arguments the CLI's arguments
	 * @param timeout how long to wait
	 * @return its exit code, stdout and stderr (apart: a shim may print a notice on
	 * stderr, as podman-docker's docker does), or empty when it could not be started or
	 * did not finish in time
	 */
	Optional<Result> run(List<String> arguments, Duration timeout) {
		List<String> command = prefix();
		command.addAll(arguments);
		ProcessBuilder builder = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(nullFile()));
		builder.environment().clear();
		builder.environment().putAll(this.environment);
		Process process;
		try {
			process = builder.start();
		}
		catch (IOException ex) {
			return Optional.empty();
		}
		String thread = "mcp-stdio-" + this.engine.displayName() + "-cli";
		CompletableFuture<String> output = readAll(process.getInputStream(), thread);
		CompletableFuture<String> errors = readAll(process.getErrorStream(), thread + "-stderr");
		boolean interrupted = Thread.interrupted();
		try {
			long deadline = System.nanoTime() + Math.max(0, timeout.toNanos());
			while (true) {
				try {
					if (!process.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
						if (!arguments.isEmpty() && !arguments.get(0).equals("rm")) {
							process.destroyForcibly();
						}
						return Optional.empty();
					}
					String out = output.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
					String err = errors.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
					return Optional.of(new Result(process.exitValue(), out.trim(), err.trim()));
				}
				catch (InterruptedException ex) {
					interrupted = true;
				}
				catch (ExecutionException | TimeoutException ex) {
					// its output is not all in: no answer to go by
					return Optional.empty();
				}
			}
		}
		finally {
			if (interrupted) {
				Thread.currentThread().interrupt();
			}
		}
	}

	private static CompletableFuture<String> readAll(InputStream stream, String thread) {
		CompletableFuture<String> read = new CompletableFuture<>();
		DaemonThreads.start(thread, () -> {
			try (InputStream in = stream) {
				read.complete(new String(in.readAllBytes(), StandardCharsets.UTF_8));
			}
			catch (IOException ex) {
				read.complete("");
			}
		});
		return read;
	}

	private static File nullFile() {
		return new java.io.File(Platform.isWindows() ? "NUL" : "/dev/null");
	}

	/**
	 * What a CLI command gave.
	 *
	 * @param exitCode its exit code
	 * @param output what it printed on stdout
	 * @param errors what it printed on stderr
	 */
	record Result(int exitCode, String output, String errors) {

		boolean succeeded() {
			return this.exitCode == 0;
		}

		/** The lines of its stdout, blank ones dropped. */
		List<String> lines() {
			return this.output.lines().map(String::trim).filter((line) -> !line.isEmpty()).toList();
		}

	}

}
