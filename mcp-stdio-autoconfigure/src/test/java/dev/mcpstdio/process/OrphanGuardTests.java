package dev.mcpstdio.process;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

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
		List<ProcessHandle> tree = OrphanGuardDemo.runAndKill(this.ledger, mode, children);
		this.leftovers.addAll(tree);
		return tree;
	}

}
