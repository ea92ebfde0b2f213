package dev.mcpstdio.process.container;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.mcpstdio.fixture.Podman;
import dev.mcpstdio.process.ProcessLauncher;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sweep at a context start removes the containers of dead JVMs of our scope, and no
 * other: not a live JVM's, not another scope's, not one the starter did not label.
 */
@EnabledOnOs(OS.LINUX)
class ContainerReaperTests {

	private final ContainerOwner owner = ContainerOwner.current();

	private final ContainerReaper reaper = new ContainerReaper(Clock.systemUTC(), ContainerReaper.Sleeper.REAL,
			this.owner);

	@TempDir
	Path ledger;

	@BeforeEach
	void podman() {
		Podman.assumeAvailable();
	}

	@AfterAll
	static void removeContainers() {
		Podman.removeAll();
	}

	@Test
	void sweepRemovesDeadJvmsContainersOnly() throws Exception {
		String dead = deadOwner();
		Process live = new ProcessBuilder("sleep", "60").start();
		try {
			String liveOther = ContainerOwner.of(live.toHandle()).ownerValue();
			String ofDeadJvm = detached(this.owner.scope(), dead);
			String ofThisJvm = detached(this.owner.scope(), this.owner.ownerValue());
			String ofLiveJvm = detached(this.owner.scope(), liveOther);
			String ofOtherScope = detached("another-host/1", dead);
			String unlabelled = detached(null, null);
			int removed = this.reaper.sweep(cli());
			assertThat(removed).isEqualTo(1);
			assertThat(Podman.testContainers()).contains(ofThisJvm, ofLiveJvm, ofOtherScope, unlabelled)
				.doesNotContain(ofDeadJvm);
		}
		finally {
			live.destroyForcibly();
		}
	}

	@Test
	void contextStartRemovesWhatAKilledJvmLeft() throws Exception {
		// no guardian, no parent-death signal: the container outlives its JVM
		String token = ContainerGuardDemo.runAndKill(this.ledger, "none");
		assertThat(Podman.containers(Container.RUN_LABEL + "=" + token)).hasSize(1);
		ProcessLauncher next = new ProcessLauncher(new ProcessLauncher.Options(true, false, false, this.ledger));
		int removed = next.reapOrphanContainers(List.of(Podman.python("any").build()));
		assertThat(removed).isGreaterThanOrEqualTo(1);
		assertThat(Podman.containers(Container.RUN_LABEL + "=" + token)).isEmpty();
	}

	@Test
	void removeOfAContainerThatIsAlreadyGoneReturnsAtOnce() {
		Container container = new Container(this.reaper, cli(), "no-such-run", "mcp-stdio-no-such-container", null);
		assertThat(this.reaper.remove(container, Duration.ofSeconds(5))).isTrue();
	}

	private EngineCli cli() {
		return new EngineCli(ContainerEngine.PODMAN, Podman.executable(), List.of(), System.getenv());
	}

	private static String deadOwner() throws Exception {
		Process process = new ProcessBuilder("sleep", "60").start();
		String owner = ContainerOwner.of(process.toHandle()).ownerValue();
		process.destroyForcibly().waitFor();
		return owner;
	}

	private static String detached(String scope, String ownerValue) {
		List<String> args = new ArrayList<>(List.of("run", "-d", "--label", Podman.TEST_LABEL + "=" + Podman.RUN));
		if (scope != null) {
			Map.of(ContainerOwner.SCOPE_LABEL, scope, ContainerOwner.OWNER_LABEL, ownerValue)
				.forEach((key, value) -> args.addAll(List.of("--label", key + "=" + value)));
		}
		args.addAll(List.of("-v", "/usr:/usr:ro", "-v", "/lib:/lib:ro", "--rootfs", rootfs().toString(),
				"/usr/bin/sleep", "600"));
		return Podman.run(args.toArray(String[]::new));
	}

	private static Path rootfs() {
		Path root = Path.of(System.getProperty("java.io.tmpdir"), "mcp-stdio-empty-rootfs");
		root.toFile().mkdirs();
		return root;
	}

}
