package dev.mcpstdio.process.container;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When a container's owner is taken for dead: only when no process of our scope has its
 * pid and start time.
 */
class ContainerOwnerTests {

	@Test
	void thisJvmIsAlive() {
		assertThat(ContainerOwner.isDead(ContainerOwner.current().ownerValue())).isFalse();
	}

	@Test
	void aJvmThatExitedIsDead() throws Exception {
		Process process = new ProcessBuilder("sleep", "60").start();
		String owner = ContainerOwner.of(process.toHandle()).ownerValue();
		process.destroyForcibly().waitFor();
		assertThat(ContainerOwner.isDead(owner)).isTrue();
	}

	@Test
	@EnabledOnOs(OS.LINUX)
	void aLiveProcessWithAnotherStartIsNotTheOwner() {
		ContainerOwner self = ContainerOwner.current();
		long ticks = Long.parseLong(self.start().substring(1));
		assertThat(ContainerOwner.isDead(self.pid() + "-t" + (ticks - 100))).isTrue();
		// milliseconds move with the wall clock: where ticks are known, a live pid is
		// never
		// taken for dead by them
		long millis = ProcessHandle.current().info().startInstant().orElseThrow().toEpochMilli();
		assertThat(ContainerOwner.isDead(self.pid() + "-" + millis)).isFalse();
		assertThat(ContainerOwner.isDead(self.pid() + "-" + (millis - 1000))).isFalse();
	}

	@Test
	@EnabledOnOs(OS.LINUX)
	void startIsInClockTicksAfterBootAndTheScopeNamesTheUser() throws Exception {
		assertThat(ContainerOwner.current().start()).matches("t[0-9]+");
		assertThat(ContainerOwner.current().scope())
			.endsWith("/" + Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
	}

	@Test
	void ownersThatCannotBeReadAreNeverDead() {
		assertThat(ContainerOwner.isDead("")).isFalse();
		assertThat(ContainerOwner.isDead("abc-def")).isFalse();
		assertThat(ContainerOwner.isDead("123")).isFalse();
		assertThat(ContainerOwner.isDead("4194000-0")).isFalse();
		assertThat(ContainerOwner.isDead("4194000-t0")).isFalse();
	}

	@Test
	void labelsNameScopeOwnerAndServer() {
		ContainerOwner owner = ContainerOwner.current();
		assertThat(owner.labels("files")).containsEntry(ContainerOwner.SCOPE_LABEL, owner.scope())
			.containsEntry(ContainerOwner.OWNER_LABEL, owner.pid() + "-" + owner.start())
			.containsEntry(ContainerOwner.SERVER_LABEL, "files");
		assertThat(owner.sweepable()).isTrue();
	}

}
