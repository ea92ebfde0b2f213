package dev.mcpstdio.process;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.mcpstdio.fixture.Fixtures;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A JVM that runs stubborn children is killed with SIGKILL: none of its children or
 * grandchildren survives it.
 */
class OrphanGuardTests {

	@TempDir
	Path ledger;

	private final List<ProcessHandle> leftovers = new ArrayList<>();

	@AfterEach
	void killLeftovers() {
		this.leftovers.forEach(ProcessHandle::destroyForcibly);
	}

	@Test
	@EnabledOnOs(OS.LINUX)
	void killOfJvmWithSigkillLeavesNoChildOrGrandchild() throws Exception {
		List<ProcessHandle> tree = startDemoAndKillIt("all", 5);
		long killed = System.nanoTime();
		await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(20))
			.until(() -> tree.stream().noneMatch(ProcessTree::isRunning));
		System.out.printf("orphan guard: %d processes gone %d ms after SIGKILL of their JVM%n", tree.size(),
				Duration.ofNanos(System.nanoTime() - killed).toMillis());
	}

	@Test
	void nextLauncherReapsWhatTheLedgerLists() throws Exception {
		// no guardian and no parent-death signal: only the ledger is left to clean up
		List<ProcessHandle> tree = startDemoAndKillIt("ledger-only", 2);
		Thread.sleep(300); // give survivors a chance to die, which they must not
		assertThat(tree).allMatch(ProcessTree::isRunning);
		new ProcessLauncher(new ProcessLauncher.Options(true, false, false, this.ledger));
		await().atMost(Duration.ofSeconds(5)).until(() -> tree.stream().noneMatch(ProcessTree::isRunning));
		assertThat(this.ledger).isEmptyDirectory();
	}

	private List<ProcessHandle> startDemoAndKillIt(String mode, int children) throws Exception {
		List<String> command = new ArrayList<>(List.of(JavaCommand.javaExecutable()));
		command.addAll(Fixtures.JVM_ARGS);
		command.addAll(List.of("-cp", System.getProperty("java.class.path"), OrphanGuardDemo.class.getName(),
				this.ledger.toString(), mode, Integer.toString(children)));
		Process demo = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
		this.leftovers.add(demo.toHandle());
		BufferedReader out = new BufferedReader(new InputStreamReader(demo.getInputStream(), StandardCharsets.UTF_8));
		String line;
		while ((line = out.readLine()) != null && !line.startsWith("pids ")) {
			// skip anything else the demo prints
		}
		assertThat(line).as("the demo's pids").isNotNull();
		List<ProcessHandle> tree = Arrays.stream(line.substring(5).split(" "))
			.map(Long::parseLong)
			.map(ProcessHandle::of)
			.flatMap(java.util.Optional::stream)
			.toList();
		this.leftovers.addAll(tree);
		assertThat(tree).hasSize(children * 2).allMatch(ProcessHandle::isAlive);
		demo.destroyForcibly(); // SIGKILL
		demo.waitFor();
		return tree;
	}

}
