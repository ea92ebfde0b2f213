package dev.mcpstdio.process;

import java.time.Instant;

import org.junit.jupiter.api.Test;

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
		long start = process.info().startInstant().map(Instant::toEpochMilli).orElseThrow();
		process.destroyForcibly().waitFor();
		assertThat(ContainerOwner.isDead(process.pid() + "-" + start)).isTrue();
	}

	@Test
	void aLiveProcessWithAnotherStartTimeIsNotTheOwner() {
		ContainerOwner self = ContainerOwner.current();
		assertThat(ContainerOwner.isDead(self.pid() + "-" + (self.startMillis() - 1000))).isTrue();
	}

	@Test
	void ownersThatCannotBeReadAreNeverDead() {
		assertThat(ContainerOwner.isDead("")).isFalse();
		assertThat(ContainerOwner.isDead("abc-def")).isFalse();
		assertThat(ContainerOwner.isDead("123")).isFalse();
		assertThat(ContainerOwner.isDead("4194000-0")).isFalse();
	}

	@Test
	void labelsNameScopeOwnerAndServer() {
		ContainerOwner owner = ContainerOwner.current();
		assertThat(owner.labels("files")).containsEntry(ContainerOwner.SCOPE_LABEL, owner.scope())
			.containsEntry(ContainerOwner.OWNER_LABEL, owner.pid() + "-" + owner.startMillis())
			.containsEntry(ContainerOwner.SERVER_LABEL, "files");
		assertThat(owner.sweepable()).isTrue();
	}

}
