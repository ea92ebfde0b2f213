package dev.mcpstdio.process.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import dev.mcpstdio.fixture.Sandboxes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

@EnabledOnOs(OS.LINUX)
class SandboxDirectoryTests {

	@TempDir
	Path elsewhere;

	@Test
	void filterIsReadableByAllAndThePrivateDirectoryOnlyByTheServersUser() throws IOException {
		try (SandboxDirectory directory = SandboxDirectory.create("a/b c", new byte[] { 1, 2 }, true)) {
			assertThat(directory.filter()).hasBinaryContent(new byte[] { 1, 2 });
			assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(directory.filter())))
				.isEqualTo("r--r--r--");
			Path work = directory.work();
			assertThat(work).isDirectory();
			assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(work))).isEqualTo("rwx------");
			assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(work.getParent())))
				.isEqualTo("rwx--x--x");
			assertThat(work.getParent().getFileName().toString())
				.startsWith("mcp-stdio-sandbox-" + ProcessHandle.current().pid() + "-")
				.contains("-a_b_c-");
			assertThat(Files.getAttribute(work, "unix:uid"))
				.isEqualTo(Sandboxes.root() ? Sandboxes.NOBODY : Files.getAttribute(this.elsewhere, "unix:uid"));
		}
	}

	@Test
	void closeRemovesWhatTheServerLeftButNeverWhatALinkPointsTo() throws IOException {
		Path outside = Files.writeString(this.elsewhere.resolve("keep"), "kept");
		SandboxDirectory directory = SandboxDirectory.create("s", new byte[0], true);
		Path work = directory.work();
		Files.writeString(Files.createDirectories(work.resolve("deep/er")).resolve("f"), "x");
		Files.createSymbolicLink(work.resolve("link"), this.elsewhere);
		Files.createSymbolicLink(work.resolve("file-link"), outside);
		Path closed = Files.createDirectories(work.resolve("closed"));
		Files.writeString(closed.resolve("f"), "x");
		Files.setPosixFilePermissions(closed, PosixFilePermissions.fromString("---------"));
		directory.close();
		assertThat(work.getParent()).doesNotExist();
		assertThat(outside).hasContent("kept");
	}

	@Test
	void directoriesOfJvmsThatDiedAreReapedAndThoseOfLiveOnesAndOthersAreNot() throws IOException {
		Path dead = Files.createDirectories(this.elsewhere.resolve("mcp-stdio-sandbox-999999999-1-s-1/work"));
		Files.writeString(dead.resolve("f"), "left");
		Path restarted = Files
			.createDirectories(this.elsewhere.resolve("mcp-stdio-sandbox-" + ProcessHandle.current().pid() + "-1-s-2"));
		try (SandboxDirectory live = SandboxDirectory.create("s", new byte[0], true)) {
			Path mine = Files.move(live.work().getParent(),
					this.elsewhere.resolve(live.work().getParent().getFileName()));
			Path other = Files.createDirectories(this.elsewhere.resolve("mcp-stdio-sandbox-not-ours"));
			assertThat(SandboxDirectory.reapStale(this.elsewhere)).isEqualTo(2);
			assertThat(dead.getParent()).doesNotExist();
			assertThat(restarted).doesNotExist();
			assertThat(mine).isDirectory();
			assertThat(other).isDirectory();
			Files.move(mine, live.work().getParent());
		}
	}

	@Test
	void serverWithAWorkingDirectoryOfItsOwnGetsNoPrivateOne() throws IOException {
		try (SandboxDirectory directory = SandboxDirectory.create("s", new byte[0], false)) {
			assertThat(directory.work()).isNull();
			assertThat(directory.filter()).exists();
		}
	}

}
