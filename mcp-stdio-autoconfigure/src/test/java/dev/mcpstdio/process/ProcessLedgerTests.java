package dev.mcpstdio.process;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ProcessLedgerTests {

	@TempDir
	Path dir;

	private Process sleeper;

	@AfterEach
	void stopSleeper() {
		if (this.sleeper != null) {
			this.sleeper.destroyForcibly();
		}
	}

	@Test
	void reapKillsChildOfDeadOwnerWhenStartTimeMatches() throws Exception {
		this.sleeper = new ProcessBuilder("sleep", "60").start();
		writeDeadOwnerLedger(this.sleeper.pid(), startMillis(this.sleeper));
		int reaped = new ProcessLedger(this.dir, ProcessHandle.current()).reapOrphans();
		assertThat(reaped).isEqualTo(1);
		await().atMost(Duration.ofSeconds(5)).until(() -> !this.sleeper.isAlive());
		assertThat(this.dir).isEmptyDirectory();
	}

	@Test
	void reapNeverKillsProcessThatReusesRecordedPid() throws Exception {
		this.sleeper = new ProcessBuilder("sleep", "60").start();
		writeDeadOwnerLedger(this.sleeper.pid(), startMillis(this.sleeper) - 60_000);
		int reaped = new ProcessLedger(this.dir, ProcessHandle.current()).reapOrphans();
		assertThat(reaped).isZero();
		assertThat(this.sleeper.isAlive()).isTrue();
	}

	@Test
	void reapLeavesLedgerOfLiveOwnerAlone() throws Exception {
		this.sleeper = new ProcessBuilder("sleep", "60").start();
		ProcessHandle liveOwner = this.sleeper.toHandle();
		Path file = this.dir.resolve(ProcessLedger.fileName(liveOwner));
		Files.write(file, List.of(this.sleeper.pid() + " " + startMillis(this.sleeper)));
		new ProcessLedger(this.dir, ProcessHandle.current()).reapOrphans();
		assertThat(this.sleeper.isAlive()).isTrue();
		assertThat(file).exists();
	}

	@Test
	void addAndRemoveKeepTheFileOfThisJvm() {
		ProcessLedger ledger = new ProcessLedger(this.dir, ProcessHandle.current());
		ledger.add(42, java.time.Instant.ofEpochMilli(1000));
		ledger.add(43, java.time.Instant.ofEpochMilli(2000));
		assertThat(ledger.file()).hasContent("42 1000\n43 2000");
		ledger.remove(42);
		assertThat(ledger.file()).hasContent("43 2000");
		ledger.remove(43);
		assertThat(ledger.file()).doesNotExist();
	}

	private void writeDeadOwnerLedger(long pid, long startMillis) throws Exception {
		// pid 2^22 + 1 is above Linux's pid_max: no such owner runs
		Files.write(this.dir.resolve("4194305-1.ledger"), List.of(pid + " " + startMillis));
	}

	private static long startMillis(Process process) {
		return process.info().startInstant().orElseThrow().toEpochMilli();
	}

}
