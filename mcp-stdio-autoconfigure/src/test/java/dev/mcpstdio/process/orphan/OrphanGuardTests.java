package dev.mcpstdio.process.orphan;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.mcpstdio.fixture.Sandboxes;
import dev.mcpstdio.process.ProcessLauncher;
import dev.mcpstdio.process.platform.ProcessTree;
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
		// the guard acts on its JVM's end, with no timer of its own: how soon it is
		// done is a benchmark, not a bound
		await().atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(20))
			.until(() -> tree.stream().noneMatch(ProcessTree::isRunning));
		System.out.printf("orphan guard: %d processes gone %d ms after SIGKILL of their JVM%n", tree.size(),
				Duration.ofNanos(System.nanoTime() - killed).toMillis());
	}

	@Test
	@EnabledOnOs(OS.LINUX)
	void killOfJvmWithSigkillLeavesNothingOfSandboxedServers() throws Exception {
		Sandboxes.assumeAvailable();
		List<ProcessHandle> tree = startDemoAndKillIt("sandboxed", 2);
		long killed = System.nanoTime();
		// the guard acts on its JVM's end, with no timer of its own: how soon it is
		// done is a benchmark, not a bound
		await().atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(20))
			.until(() -> tree.stream().noneMatch(ProcessTree::isRunning));
		System.out.printf("orphan guard: %d processes of 2 sandboxed servers gone %d ms after SIGKILL of their JVM%n",
				tree.size(), Duration.ofNanos(System.nanoTime() - killed).toMillis());
	}

	@Test
	void nextLauncherReapsWhatTheLedgerLists() throws Exception {
		// no guardian and no parent-death signal: only the ledger is left to clean up
		List<ProcessHandle> tree = startDemoAndKillIt("ledger-only", 2);
		// no guardian and no parent-death signal: nothing but the ledger can end them
		assertThat(tree).allMatch(ProcessTree::isRunning);
		new ProcessLauncher(new ProcessLauncher.Options(true, false, false, this.ledger));
		await().atMost(Duration.ofSeconds(5)).until(() -> tree.stream().noneMatch(ProcessTree::isRunning));
		assertThat(this.ledger).isEmptyDirectory();
	}

	@Test
	@EnabledOnOs(OS.LINUX)
	void ledgerInADirectoryAnotherUserPlantedIsNeverReadWhileOurOwnChildrenAreStillReaped() throws Exception {
		OtherUser.assumeRoot();
		Process victim = new ProcessBuilder("sleep", "60").start();
		this.leftovers.add(victim.toHandle());
		long victimStart = victim.info().startInstant().orElseThrow().toEpochMilli();
		Path hijacked = OtherUser.sharedDirectory(this.ledger).resolve("mcp-stdio-ledger-root");
		// the old attack: a dead owner's file naming the victim, and one naming a group
		// whose leader is gone
		OtherUser.run("mkdir -m 777 " + hijacked + " && printf '" + victim.pid() + " " + victimStart + "\\n' > "
				+ hijacked + "/4194305-1.ledger && printf 'mcp-stdio-ledger 2 x\\n" + victim.pid() + " " + victimStart
				+ " env\\n' > " + hijacked + "/4194305-2.ledger");
		List<Path> ledgers = List.of(hijacked, this.ledger.resolve("private"));
		List<ProcessHandle> tree = this.leftovers(OrphanGuardDemo.runAndKill(ledgers, "ledger-only", 2));
		assertThat(tree).allMatch(ProcessTree::isRunning);
		new ProcessLauncher(new ProcessLauncher.Options(true, false, false, ledgers));
		await().atMost(Duration.ofSeconds(5)).until(() -> tree.stream().noneMatch(ProcessTree::isRunning));
		assertThat(victim.isAlive()).isTrue();
		assertThat(hijacked.resolve("4194305-1.ledger")).exists();
	}

	private List<ProcessHandle> leftovers(List<ProcessHandle> tree) {
		this.leftovers.addAll(tree);
		return tree;
	}

	private List<ProcessHandle> startDemoAndKillIt(String mode, int children) throws Exception {
		List<ProcessHandle> tree = OrphanGuardDemo.runAndKill(this.ledger, mode, children);
		this.leftovers.addAll(tree);
		return tree;
	}

}
