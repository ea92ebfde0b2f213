package dev.mcpstdio.process;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import dev.mcpstdio.fixture.Fixtures;

/**
 * A JVM for the orphan guard tests: launches stubborn children (each with a grandchild),
 * prints the pids of the whole tree, and waits to be killed.
 * Arguments: ledger directory, {@code all} or {@code ledger-only}, number of children.
 */
public final class OrphanGuardDemo {

	private OrphanGuardDemo() {
	}

	public static void main(String[] args) throws Exception {
		Path ledger = Path.of(args[0]);
		boolean all = args[1].equals("all");
		int children = Integer.parseInt(args[2]);
		ProcessLauncher launcher = new ProcessLauncher(new ProcessLauncher.Options(true, all, all, ledger));
		List<ManagedProcess> launched = new ArrayList<>();
		for (int i = 0; i < children; i++) {
			launched.add(launcher.launch(Fixtures.stubborn("stubborn-" + i)));
		}
		List<Long> pids = new ArrayList<>();
		long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
		for (ManagedProcess process : launched) {
			while (process.handle().descendants().findAny().isEmpty() && System.nanoTime() < deadline) {
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
