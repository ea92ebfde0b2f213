package dev.mcpstdio.process.orphan;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import dev.mcpstdio.fixture.Fixtures;
import dev.mcpstdio.process.JavaCommand;
import dev.mcpstdio.process.ManagedProcess;
import dev.mcpstdio.process.ProcessLauncher;
import dev.mcpstdio.process.ProcessSpec;
import dev.mcpstdio.process.platform.Platform;
import dev.mcpstdio.process.platform.ProcessTree;

/**
 * A JVM for the PID 1 tests, run as PID 1 of a PID namespace of its own: launches servers
 * that crash at once, each leaving a child of its own that exits shortly after, waits
 * until every such orphan has exited, then prints how many zombies remain under it.
 * Arguments: how {@code waitpid} is found ({@code auto} as in production,
 * {@code foreign}, {@code jna}, or {@code none}), number of crashes, ledger directory.
 * {@link #run} runs it under {@code unshare}.
 */
public final class Pid1Demo {

	/** How long the demo waits for the reaper to leave no zombie. */
	static final Duration REAP_DEADLINE = Duration.ofSeconds(20);

	private Pid1Demo() {
	}

	/** Whether this machine can run a JVM as PID 1 of a new PID namespace. */
	static boolean namespacesAvailable() {
		try {
			Process probe = new ProcessBuilder(unshare("true")).redirectErrorStream(true).start();
			probe.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
			return probe.waitFor(10, TimeUnit.SECONDS) && probe.exitValue() == 0;
		}
		catch (IOException ex) {
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	/**
	 * Runs the demo as PID 1 of a new PID namespace and returns what it printed (its log
	 * included).
	 * @param mode how {@code waitpid} is found
	 * @param crashes how many servers crash, each leaving an orphan
	 * @param ledger the ledger directory of its launcher
	 * @return its output lines
	 * @throws IOException if it cannot be run
	 * @throws InterruptedException if interrupted while it runs
	 */
	static List<String> run(String mode, int crashes, Path ledger) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>(List.of(JavaCommand.javaExecutable()));
		command.addAll(Fixtures.JVM_ARGS);
		command.addAll(List.of("-cp", System.getProperty("java.class.path"), Pid1Demo.class.getName(), mode,
				Integer.toString(crashes), ledger.toString()));
		Process demo = new ProcessBuilder(unshare(command.toArray(String[]::new))).redirectErrorStream(true).start();
		List<String> lines = new ArrayList<>();
		try (BufferedReader out = new BufferedReader(
				new InputStreamReader(demo.getInputStream(), StandardCharsets.UTF_8))) {
			String line;
			while ((line = out.readLine()) != null) {
				lines.add(line);
			}
		}
		finally {
			if (!demo.waitFor(30, TimeUnit.SECONDS)) {
				demo.destroyForcibly();
			}
		}
		return lines;
	}

	private static List<String> unshare(String... command) {
		List<String> line = new ArrayList<>(List.of("unshare", "--pid", "--fork", "--mount-proc"));
		line.addAll(List.of(command));
		return line;
	}

	public static void main(String[] args) throws Exception {
		switch (args[0]) {
			case "foreign" -> Pid1Reaper.startOnce(Platform::foreignWaitpid);
			case "jna" -> Pid1Reaper.startOnce(Platform::jnaWaitpid);
			case "none" -> Pid1Reaper.startOnce(Optional::empty);
			default -> {
				// the launcher starts it, as in production
			}
		}
		int crashes = Integer.parseInt(args[1]);
		ProcessLauncher launcher = new ProcessLauncher(new ProcessLauncher.Options(true, true, true, Path.of(args[2])));
		long self = ProcessHandle.current().pid();
		System.out.println("pid " + self);
		for (int i = 0; i < crashes; i++) {
			// a server that crashes at once, leaving a child of its own that exits
			// shortly
			ManagedProcess server = launcher
				.launch(ProcessSpec.command("crash-" + i, "sh", List.of("-c", "sleep 0.3 & echo $!; exit 3")).build());
			String orphan = new BufferedReader(new InputStreamReader(server.stdout(), StandardCharsets.UTF_8))
				.readLine();
			server.onExit().get(10, TimeUnit.SECONDS);
			awaitExit(Long.parseLong(orphan.trim()));
			server.closePipes();
		}
		System.out.println("orphans exited " + crashes);
		if (!args[0].equals("none")) {
			long deadline = System.nanoTime() + REAP_DEADLINE.toNanos();
			while (!ProcessTree.zombieChildren(self).isEmpty() && System.nanoTime() < deadline) {
				Thread.sleep(20); // a demo main, not a test: polls for the reaper's work
			}
		}
		// without a reaper nothing changes any more: every orphan is a zombie for good
		System.out.println("zombies " + ProcessTree.zombieChildren(self).size());
		System.out.flush();
		System.exit(0);
	}

	/** Waits until the orphan has exited: a zombie, or already reaped. */
	private static void awaitExit(long pid) throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		while (ProcessTree.stat(pid).filter((stat) -> !stat.zombie()).isPresent()) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("orphan " + pid + " did not exit");
			}
			Thread.sleep(10);
		}
	}

}
