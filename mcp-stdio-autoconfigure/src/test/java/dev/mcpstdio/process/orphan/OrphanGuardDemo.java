package dev.mcpstdio.process.orphan;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import dev.mcpstdio.fixture.Fixtures;
import dev.mcpstdio.fixture.Probe;
import dev.mcpstdio.process.JavaCommand;
import dev.mcpstdio.process.ManagedProcess;
import dev.mcpstdio.process.ProcessLauncher;
import dev.mcpstdio.process.sandbox.Confinement;
import dev.mcpstdio.process.sandbox.ResourceLimits;
import dev.mcpstdio.process.sandbox.SandboxSettings;

/**
 * A JVM for the orphan guard tests: launches stubborn children (each with a grandchild),
 * prints the pids of the whole tree, and waits to be killed. Arguments: ledger
 * directories (the preferred first, separated by the path separator), {@code all},
 * {@code ledger-only}, {@code sandboxed} (every protection, each child a stubborn Python
 * probe in a bubblewrap sandbox) or {@code sandboxed-escaping} (the same, each probe's
 * grandchild in a session of its own), number of children. {@link #runAndKill} runs it as
 * a JVM of its own and kills that JVM with SIGKILL.
 */
public final class OrphanGuardDemo {

	private OrphanGuardDemo() {
	}

	/**
	 * Runs the demo in a JVM of its own, waits for its whole tree, and kills the JVM with
	 * SIGKILL.
	 * @param ledger the ledger directory of its launcher
	 * @param mode {@code all} for every protection, {@code ledger-only} for the ledger
	 * alone
	 * @param children how many stubborn children (each with a grandchild) it launches
	 * @return the children and grandchildren it had; the caller must see them gone
	 * @throws IOException if the demo cannot be run
	 * @throws InterruptedException if interrupted while the JVM dies
	 */
	public static List<ProcessHandle> runAndKill(Path ledger, String mode, int children)
			throws IOException, InterruptedException {
		return runAndKill(List.of(ledger), mode, children);
	}

	/**
	 * Runs the demo with ledger directories to choose from, as
	 * {@link #runAndKill(Path, String, int)} does.
	 * @param ledgers the ledger directories of its launcher, the preferred first
	 * @param mode {@code all} for every protection, {@code ledger-only} for the ledger
	 * alone
	 * @param children how many stubborn children (each with a grandchild) it launches
	 * @return the children and grandchildren it had; the caller must see them gone
	 * @throws IOException if the demo cannot be run
	 * @throws InterruptedException if interrupted while the JVM dies
	 */
	public static List<ProcessHandle> runAndKill(List<Path> ledgers, String mode, int children)
			throws IOException, InterruptedException {
		List<String> command = new ArrayList<>(List.of(JavaCommand.javaExecutable()));
		command.addAll(Fixtures.JVM_ARGS);
		command.addAll(List.of("-cp", System.getProperty("java.class.path"), OrphanGuardDemo.class.getName(),
				ledgers.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator)), mode,
				Integer.toString(children)));
		Process demo = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
		try {
			BufferedReader out = new BufferedReader(
					new InputStreamReader(demo.getInputStream(), StandardCharsets.UTF_8));
			String line;
			while ((line = out.readLine()) != null && !line.startsWith("pids ")) {
				// skip anything else the demo prints
			}
			if (line == null) {
				throw new IOException("the orphan guard demo ended before it printed its pids");
			}
			List<ProcessHandle> tree = Arrays.stream(line.substring(5).split(" "))
				.map(Long::parseLong)
				.map(ProcessHandle::of)
				.flatMap(Optional::stream)
				.toList();
			if (tree.size() != children * (mode.startsWith("sandboxed") ? 4 : 2)) {
				tree.forEach(ProcessHandle::destroyForcibly);
				throw new IOException("the orphan guard demo printed " + line + " for " + children + " children");
			}
			return tree;
		}
		finally {
			demo.destroyForcibly(); // SIGKILL
			demo.waitFor();
		}
	}

	public static void main(String[] args) throws Exception {
		List<Path> ledgers = Arrays.stream(args[0].split(File.pathSeparator)).map(Path::of).toList();
		boolean sandboxed = args[1].startsWith("sandboxed");
		// sandboxed-escaping: the server's grandchild leaves its session and process
		// group
		String[] marks = args[1].equals("sandboxed-escaping") ? new String[] { "--escape", "orphan-demo-escape" }
				: new String[] { "--stubborn", "orphan-demo-sandbox" };
		boolean all = args[1].equals("all") || sandboxed;
		int children = Integer.parseInt(args[2]);
		ProcessLauncher launcher = new ProcessLauncher(new ProcessLauncher.Options(true, all, all, ledgers));
		List<ManagedProcess> launched = new ArrayList<>();
		for (int i = 0; i < children; i++) {
			launched.add(launcher.launch(sandboxed ? Probe.python(args[1] + "-" + i, marks)
				.confinement(new Confinement(new SandboxSettings(true, SandboxSettings.OnUnavailable.FAIL, List.of(),
						List.of(), List.of(), List.of(), List.of()), ResourceLimits.NONE, true))
				.build() : Fixtures.stubborn("stubborn-" + i)));
		}
		List<Long> pids = new ArrayList<>();
		long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
		// the sandbox's own processes (bubblewrap's, its PID 1), the server and its
		// grandchild; else the child and its grandchild
		int descendants = sandboxed ? 3 : 1;
		for (ManagedProcess process : launched) {
			while (process.handle().descendants().count() < descendants && System.nanoTime() < deadline) {
				Thread.sleep(10); // a demo main, not a test: polls its own children
			}
			pids.add(process.pid());
			process.handle().descendants().forEach((handle) -> pids.add(handle.pid()));
		}
		System.out.println("pids " + pids.stream().map(String::valueOf).collect(Collectors.joining(" ")));
		System.out.flush();
		Thread.sleep(Long.MAX_VALUE);
	}

}
