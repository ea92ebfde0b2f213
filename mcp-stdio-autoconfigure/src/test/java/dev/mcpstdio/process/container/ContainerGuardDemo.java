package dev.mcpstdio.process.container;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.mcpstdio.fixture.Fixtures;
import dev.mcpstdio.fixture.Podman;
import dev.mcpstdio.process.JavaCommand;
import dev.mcpstdio.process.ManagedProcess;
import dev.mcpstdio.process.ProcessLauncher;

/**
 * A JVM for the container tests: launches a server in a container that ignores EOF and
 * SIGTERM, prints {@code container <run token>} once the container runs, and waits to be
 * killed. Arguments: ledger directory, {@code all} or {@code none} (protections).
 * {@link #runAndKill} runs it as a JVM of its own and kills that JVM with SIGKILL.
 */
public final class ContainerGuardDemo {

	private ContainerGuardDemo() {
	}

	/**
	 * Runs the demo in a JVM of its own, waits for its container, and kills the JVM with
	 * SIGKILL.
	 * @param ledger the ledger directory of its launcher
	 * @param mode {@code all} for every protection, {@code none} for none
	 * @return the run token of the container it started
	 * @throws IOException if the demo cannot be run
	 * @throws InterruptedException if interrupted while the JVM dies
	 */
	public static String runAndKill(Path ledger, String mode) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>(List.of(JavaCommand.javaExecutable()));
		command.addAll(Fixtures.JVM_ARGS);
		command.addAll(List.of("-Dmcp.stdio.podman.bin=" + Podman.binDirectory(), "-Dmcp.stdio.test.run=" + Podman.RUN,
				"-cp", System.getProperty("java.class.path"), ContainerGuardDemo.class.getName(), ledger.toString(),
				mode));
		Process demo = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
		try {
			BufferedReader out = new BufferedReader(
					new InputStreamReader(demo.getInputStream(), StandardCharsets.UTF_8));
			String line;
			while ((line = out.readLine()) != null && !line.startsWith("container ")) {
				// skip anything else the demo prints
			}
			if (line == null) {
				throw new IOException("the container demo ended before its container ran");
			}
			return line.substring("container ".length());
		}
		finally {
			demo.destroyForcibly(); // SIGKILL
			demo.waitFor();
		}
	}

	public static void main(String[] args) throws Exception {
		boolean all = args[1].equals("all");
		ProcessLauncher launcher = new ProcessLauncher(new ProcessLauncher.Options(true, all, all, Path.of(args[0])));
		ManagedProcess process = launcher
			.launch(Podman.python("stubborn-container", "--ignore-term", "--ignore-eof").build());
		Container container = process.container().orElseThrow();
		ContainerTests.awaitServing(process);
		System.out.println("container " + container.runToken());
		System.out.flush();
		Thread.sleep(Duration.ofDays(1).toMillis());
	}

}
