package dev.mcpstdio.process.orphan;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.mcpstdio.process.platform.Waitpid;
import dev.mcpstdio.fixture.Required;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The reaper of a JVM that is PID 1: its rule with a fake /proc, and real JVMs run as PID
 * 1 of a PID namespace of their own.
 */
class Pid1ReaperTests {

	private static final int CRASHES = 5;

	@TempDir
	Path ledger;

	private final Map<Long, Long> zombies = new HashMap<>();

	private final List<Long> reaped = new ArrayList<>();

	private final Waitpid waitpid = new Waitpid() {

		@Override
		public boolean reap(long pid) {
			Pid1ReaperTests.this.reaped.add(pid);
			return Pid1ReaperTests.this.zombies.remove(pid) != null;
		}

		@Override
		public String via() {
			return "a fake";
		}

	};

	private final Pid1Reaper reaper = new Pid1Reaper(() -> Map.copyOf(this.zombies), this.waitpid);

	@Test
	void zombieSeenOnceIsLeftToTheJdkThatMayBeWaitingForIt() {
		this.zombies.put(42L, 1000L);
		assertThat(this.reaper.reap()).isZero();
		assertThat(this.reaped).isEmpty();
	}

	@Test
	void zombieSeenInTwoScansIsReapedByItsPidAlone() {
		this.zombies.put(42L, 1000L);
		this.reaper.reap();
		this.zombies.put(43L, 1001L);
		assertThat(this.reaper.reap()).isOne();
		assertThat(this.reaped).containsExactly(42L);
		assertThat(this.reaper.reap()).isOne();
		assertThat(this.reaped).containsExactly(42L, 43L);
	}

	@Test
	void zombieWithTheSamePidButAnotherStartTimeIsANewSighting() {
		this.zombies.put(42L, 1000L);
		this.reaper.reap();
		this.zombies.put(42L, 2000L);
		assertThat(this.reaper.reap()).isZero();
		assertThat(this.reaped).isEmpty();
	}

	@Test
	void zombieThatCouldNotBeReapedIsTriedAgainAtTheNextScan() {
		List<Long> tries = new ArrayList<>();
		Pid1Reaper failingOnce = new Pid1Reaper(() -> Map.of(42L, 1000L), new Waitpid() {

			@Override
			public boolean reap(long pid) {
				tries.add(pid);
				return tries.size() > 1;
			}

			@Override
			public String via() {
				return "a flaky fake";
			}

		});
		failingOnce.reap();
		assertThat(failingOnce.reap()).isZero();
		assertThat(failingOnce.reap()).isOne();
		assertThat(tries).containsExactly(42L, 42L);
	}

	@Test
	void jvmThatIsNotPid1DoesNothingAndNeverLooksForWaitpid() {
		AtomicBoolean asked = new AtomicBoolean();
		assertThat(Pid1Reaper.decide(4242, true, () -> {
			asked.set(true);
			return Optional.of(this.waitpid);
		})).isEmpty();
		assertThat(Pid1Reaper.decide(1, false, Optional::empty)).isEmpty();
		assertThat(asked).isFalse();
	}

	@Test
	void pid1WithWaitpidReapsAndSaysHow() {
		Pid1Reaper.Decision decision = Pid1Reaper.decide(1, true, () -> Optional.of(this.waitpid)).orElseThrow();
		assertThat(decision.reaps()).isTrue();
		assertThat(decision.message()).startsWith("This JVM is PID 1 (no init process)")
			.contains("mcp-stdio reaps them every 1 s (through a fake)");
	}

	@Test
	void pid1WithoutWaitpidWarnsWithTheFix() {
		Pid1Reaper.Decision decision = Pid1Reaper.decide(1, true, Optional::empty).orElseThrow();
		assertThat(decision.reaps()).isFalse();
		assertThat(decision.message()).contains("cannot reap them", "stays a zombie", "docker run --init", "tini",
				"shareProcessNamespace: true", "Java 22 or later", "net.java.dev.jna:jna");
	}

	@Test
	@EnabledOnOs(OS.LINUX)
	void jvmAsPid1LeavesNoZombieAfterRepeatedCrashes() throws Exception {
		List<String> output = runDemo("auto");
		assertThat(output).anyMatch((line) -> line.contains("INFO") && line.contains("mcp-stdio reaps them"));
		assertThat(output).contains("orphans exited " + CRASHES, "zombies 0");
	}

	@Test
	@EnabledOnOs(OS.LINUX)
	void jvmAsPid1ReapsThroughJna() throws Exception {
		assertThat(runDemo("jna")).contains("orphans exited " + CRASHES, "zombies 0")
			.anyMatch((line) -> line.contains("(through JNA)"));
	}

	@Test
	@EnabledOnOs(OS.LINUX)
	void jvmAsPid1ReapsThroughTheForeignFunctionApiOnJava22AndLater() throws Exception {
		assumeTrue(Runtime.version().feature() >= 22, "java.lang.foreign is final from Java 22");
		assertThat(runDemo("foreign")).contains("orphans exited " + CRASHES, "zombies 0")
			.anyMatch((line) -> line.contains("(through Java's foreign function API)"));
	}

	@Test
	@EnabledOnOs(OS.LINUX)
	void jvmAsPid1ThatCannotReapWarnsWithTheFixAndKeepsEveryZombie() throws Exception {
		List<String> output = runDemo("none");
		assertThat(output).anyMatch((line) -> line.contains("WARN") && line.contains("docker run --init"));
		assertThat(output).contains("orphans exited " + CRASHES, "zombies " + CRASHES);
	}

	private List<String> runDemo(String mode) throws Exception {
		Required.assumeOrFail(Pid1Demo.namespacesAvailable(), "MCP_STDIO_REQUIRE_NAMESPACES",
				"'unshare --pid --fork --mount-proc' is not available here (needs util-linux and root or"
						+ " CAP_SYS_ADMIN): the JVM cannot be run as PID 1");
		List<String> output = Pid1Demo.run(mode, CRASHES, this.ledger);
		System.out.println("pid1 demo (" + mode + "): " + String.join(" | ", output));
		assertThat(output).as("the demo runs as PID 1").contains("pid 1");
		return output;
	}

}
