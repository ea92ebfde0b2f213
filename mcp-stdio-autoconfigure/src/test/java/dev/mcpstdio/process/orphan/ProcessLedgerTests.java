package dev.mcpstdio.process.orphan;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@EnabledOnOs(OS.LINUX)
class ProcessLedgerTests {

	private static final String TOKEN = "0123456789abcdef0123456789abcdef";

	@TempDir
	Path dir;

	private final List<ProcessHandle> started = new ArrayList<>();

	private final ListAppender<ILoggingEvent> warnings = new ListAppender<>();

	@BeforeEach
	void listen() {
		this.warnings.start();
		logger().addAppender(this.warnings);
	}

	@AfterEach
	void stopAll() {
		logger().detachAppender(this.warnings);
		this.started.forEach(ProcessHandle::destroyForcibly);
	}

	@Test
	void reapKillsChildOfDeadOwnerThatCarriesTheLedgersToken() throws Exception {
		ProcessHandle child = sleeper(true);
		plantDeadOwnerLedger(this.dir, child.pid(), startMillis(child));
		assertThat(open(this.dir).reapOrphans()).isEqualTo(1);
		await().atMost(Duration.ofSeconds(5)).until(() -> !child.isAlive());
		assertThat(this.dir).isEmptyDirectory();
	}

	@Test
	void reapNeverKillsProcessThatReusesRecordedPid() throws Exception {
		ProcessHandle child = sleeper(true);
		plantDeadOwnerLedger(this.dir, child.pid(), startMillis(child) - 60_000);
		assertThat(open(this.dir).reapOrphans()).isZero();
		assertThat(child.isAlive()).isTrue();
	}

	@Test
	void reapNeverKillsProcessWithRecordedPidAndStartTimeThatLacksTheToken() throws Exception {
		// a pid reused, within the same clock tick, by a process some other program
		// started
		ProcessHandle victim = sleeper(false);
		plantDeadOwnerLedger(this.dir, victim.pid(), startMillis(victim));
		assertThat(open(this.dir).reapOrphans()).isZero();
		assertThat(victim.isAlive()).isTrue();
		assertThat(this.dir).isEmptyDirectory();
	}

	@Test
	void reapKillsOrphanedMembersOfARecordedGroupOnlyWhereTheyCarryTheToken() throws Exception {
		Orphans orphans = orphanedGroupMembers();
		plantDeadOwnerLedger(this.dir, orphans.leader(), orphans.leaderStart());
		assertThat(open(this.dir).reapOrphans()).isEqualTo(1);
		await().atMost(Duration.ofSeconds(5)).until(() -> !orphans.withToken().isAlive());
		assertThat(orphans.withoutToken().isAlive()).isTrue();
	}

	@Test
	void reapLeavesLedgerOfLiveOwnerAlone() throws Exception {
		ProcessHandle child = sleeper(true);
		Path file = this.dir.resolve(ProcessLedger.fileName(child));
		Files.write(file, ledgerLines(child.pid(), startMillis(child)));
		open(this.dir).reapOrphans();
		assertThat(child.isAlive()).isTrue();
		assertThat(file).exists();
	}

	@Test
	void reapRemovesALedgerOfAnOlderFormatWithoutKilling() throws Exception {
		ProcessHandle child = sleeper(true);
		Files.write(this.dir.resolve("4194305-1.ledger"), List.of(child.pid() + " " + startMillis(child)));
		assertThat(open(this.dir).reapOrphans()).isZero();
		assertThat(child.isAlive()).isTrue();
		assertThat(this.dir).isEmptyDirectory();
	}

	@Test
	void reapIgnoresALedgerFileOwnedByAnotherUserAndWarnsOnce() throws Exception {
		OtherUser.assumeRoot();
		ProcessHandle victim = sleeper(true);
		Path planted = plantDeadOwnerLedger(this.dir, victim.pid(), startMillis(victim));
		Files.setOwner(planted,
				this.dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody"));
		ProcessLedger ledger = open(this.dir);
		assertThat(ledger.reapOrphans()).isZero();
		assertThat(ledger.reapOrphans()).isZero();
		assertThat(victim.isAlive()).isTrue();
		assertThat(planted).exists();
		assertThat(warnings()).singleElement()
			.asString()
			.contains("ignores the ledger file " + planted + ": it is owned by nobody, not by root")
			.contains("remove what is named");
	}

	@Test
	void ledgerDirectoryCreatedByAnotherUserIsNeitherReadNorWrittenAndAPrivateOneIsUsed() throws Exception {
		OtherUser.assumeRoot();
		ProcessHandle victim = sleeper(true);
		Path shared = OtherUser.sharedDirectory(this.dir);
		Path hijacked = shared.resolve("mcp-stdio-ledger-root");
		OtherUser.run("mkdir -m 777 " + hijacked + " && printf 'mcp-stdio-ledger 2 " + TOKEN + "\\n" + victim.pid()
				+ " " + startMillis(victim) + " env\\n' > " + hijacked + "/4194305-1.ledger");
		assertRefusedAndNothingKilled(hijacked, victim, "it is owned by nobody, not by root");
	}

	@Test
	void ledgerDirectoryThatIsASymbolicLinkIsNeitherReadNorWritten() throws Exception {
		ProcessHandle victim = sleeper(true);
		Path target = Files.createDirectory(this.dir.resolve("elsewhere"));
		plantDeadOwnerLedger(target, victim.pid(), startMillis(victim));
		Path link = Files.createSymbolicLink(this.dir.resolve("ledger"), target);
		assertRefusedAndNothingKilled(link, victim, "it is a symbolic link");
	}

	@Test
	void ledgerDirectoryItsGroupMayWriteIsNeitherReadNorWritten() throws Exception {
		ProcessHandle victim = sleeper(true);
		Path writable = Files.createDirectory(this.dir.resolve("ledger"));
		plantDeadOwnerLedger(writable, victim.pid(), startMillis(victim));
		Files.setPosixFilePermissions(writable, PosixFilePermissions.fromString("rwxrwx---"));
		assertRefusedAndNothingKilled(writable, victim, "its group or others may write it (mode rwxrwx---)");
	}

	@Test
	void withoutAnyPrivateDirectoryReapingIsOffAndTheWarningSaysSo() throws Exception {
		Path link = Files.createSymbolicLink(this.dir.resolve("ledger"), this.dir);
		Path file = Files.createFile(this.dir.resolve("file"));
		assertThat(ProcessLedger.open(List.of(link, file), ProcessHandle.current())).isEmpty();
		assertThat(warnings()).singleElement()
			.asString()
			.contains(link + " (it is a symbolic link); " + file + " (it is not a directory)")
			.contains("are not reaped");
	}

	@Test
	void addAndRemoveKeepTheFileOfThisJvm() throws Exception {
		ProcessLedger ledger = open(this.dir);
		ProcessHandle child = sleeper(true);
		ProcessHandle other = sleeper(true);
		ledger.add(child, Instant.ofEpochMilli(1000));
		ledger.add(other, Instant.ofEpochMilli(2000));
		String header = "mcp-stdio-ledger 2 " + ledger.token() + "\n";
		assertThat(ledger.file()).hasContent(header + child.pid() + " 1000 env\n" + other.pid() + " 2000 env");
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(ledger.file()))).isEqualTo("rw-------");
		ledger.remove(child.pid());
		assertThat(ledger.file()).hasContent(header + other.pid() + " 2000 env");
		ledger.remove(other.pid());
		assertThat(ledger.file()).doesNotExist();
	}

	private void assertRefusedAndNothingKilled(Path refused, ProcessHandle victim, String why) throws Exception {
		Path fallback = this.dir.resolve("fallback");
		ProcessLedger ledger = ProcessLedger.open(List.of(refused, fallback), ProcessHandle.current()).orElseThrow();
		assertThat(ledger.reapOrphans()).isZero();
		ledger.add(sleeper(true), Instant.ofEpochMilli(1000));
		assertThat(victim.isAlive()).isTrue();
		assertThat(ledger.file().getParent()).isEqualTo(fallback);
		assertThat(warnings()).singleElement()
			.asString()
			.contains("does not use " + refused + " (" + why + ") for its ledger")
			.contains("it uses " + fallback + " instead");
	}

	private ProcessLedger open(Path directory) {
		return ProcessLedger.open(List.of(directory), ProcessHandle.current()).orElseThrow();
	}

	private ProcessHandle sleeper(boolean withToken) throws Exception {
		ProcessBuilder builder = new ProcessBuilder("sleep", "60");
		if (withToken) {
			builder.environment().put(ProcessLedger.TOKEN_VARIABLE, TOKEN);
		}
		ProcessHandle handle = builder.start().toHandle();
		this.started.add(handle);
		return handle;
	}

	/** Two sleepers left in the group of a shell that exited, one carrying the token. */
	private Orphans orphanedGroupMembers() throws Exception {
		// the shell waits for its stdin to close, so that its start can be read while it
		// runs
		Process leader = new ProcessBuilder("setsid", "sh", "-c", "sleep 60 >/dev/null & echo $!; "
				+ ProcessLedger.TOKEN_VARIABLE + "=" + TOKEN + " sleep 60 >/dev/null & echo $!; read line")
			.start();
		long leaderStart = startMillis(leader.toHandle());
		BufferedReader out = new BufferedReader(new InputStreamReader(leader.getInputStream(), StandardCharsets.UTF_8));
		ProcessHandle withoutToken = ProcessHandle.of(Long.parseLong(out.readLine())).orElseThrow();
		ProcessHandle withToken = ProcessHandle.of(Long.parseLong(out.readLine())).orElseThrow();
		this.started.add(withoutToken);
		this.started.add(withToken);
		leader.getOutputStream().close();
		leader.waitFor();
		// each was forked by the shell: its environment is the one it runs with once it
		// is sleep
		await().atMost(Duration.ofSeconds(5)).until(() -> isSleep(withoutToken) && isSleep(withToken));
		return new Orphans(leader.pid(), leaderStart, withToken, withoutToken);
	}

	private static boolean isSleep(ProcessHandle process) {
		return process.info().command().map((command) -> command.endsWith("/sleep")).orElse(false);
	}

	private static Path plantDeadOwnerLedger(Path directory, long pid, long startMillis) throws Exception {
		// pid 2^22 + 1 is above Linux's pid_max: no such owner runs
		return Files.write(directory.resolve("4194305-1.ledger"), ledgerLines(pid, startMillis));
	}

	private static List<String> ledgerLines(long pid, long startMillis) {
		return List.of("mcp-stdio-ledger 2 " + TOKEN, pid + " " + startMillis + " env");
	}

	private static long startMillis(ProcessHandle process) {
		return process.info().startInstant().orElseThrow().toEpochMilli();
	}

	private List<String> warnings() {
		return this.warnings.list.stream()
			.filter((event) -> event.getLevel() == Level.WARN)
			.map(ILoggingEvent::getFormattedMessage)
			.toList();
	}

	private static Logger logger() {
		return (Logger) LoggerFactory.getLogger(ProcessLedger.class);
	}

	private record Orphans(long leader, long leaderStart, ProcessHandle withToken, ProcessHandle withoutToken) {
	}

}
