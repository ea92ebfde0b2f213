package dev.mcpstdio.process.orphan;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

@EnabledOnOs({ OS.LINUX, OS.MAC })
class PrivateFilesTests {

	@TempDir
	Path dir;

	private final PrivateFiles files = PrivateFiles.forCurrentUser().orElseThrow();

	@Test
	void prepareDirectoryCreatesAMissingDirectoryWithMode700() throws Exception {
		Path ledger = this.dir.resolve("a/b/ledger");
		assertThat(this.files.prepareDirectory(ledger)).isEmpty();
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(ledger))).isEqualTo("rwx------");
	}

	@Test
	void prepareDirectoryRefusesADirectoryAnotherUserCreated() throws Exception {
		OtherUser.assumeRoot();
		Path shared = OtherUser.sharedDirectory(this.dir);
		OtherUser.run("mkdir -m 700 " + shared + "/ledger");
		assertThat(this.files.prepareDirectory(shared.resolve("ledger")))
			.hasValue("it is owned by nobody, not by root");
	}

	@Test
	void prepareDirectoryRefusesASymbolicLinkToADirectoryOfItsOwn() throws Exception {
		Path target = Files.createDirectory(this.dir.resolve("target"));
		Path link = Files.createSymbolicLink(this.dir.resolve("ledger"), target);
		assertThat(this.files.prepareDirectory(link)).hasValue("it is a symbolic link");
	}

	@Test
	void prepareDirectoryRefusesADirectoryItsGroupMayWrite() throws Exception {
		Path ledger = Files.createDirectory(this.dir.resolve("ledger"));
		Files.setPosixFilePermissions(ledger, PosixFilePermissions.fromString("rwxrwx---"));
		assertThat(this.files.prepareDirectory(ledger)).hasValue("its group or others may write it (mode rwxrwx---)");
	}

	@Test
	void prepareDirectoryRefusesAFile() throws Exception {
		Path ledger = Files.createFile(this.dir.resolve("ledger"));
		assertThat(this.files.prepareDirectory(ledger)).hasValue("it is not a directory");
	}

	@Test
	void checkFileRefusesAFileOwnedByAnotherUser() throws Exception {
		OtherUser.assumeRoot();
		Path file = Files.createFile(this.dir.resolve("1-1.ledger"));
		UserPrincipal nobody = file.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
		Files.setOwner(file, nobody);
		assertThat(this.files.checkFile(file)).hasValue("it is owned by nobody, not by root");
	}

	@Test
	void checkFileRefusesASymbolicLinkAndAcceptsAPrivateFile() throws Exception {
		Path file = Files.createFile(this.dir.resolve("1-1.ledger"));
		Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
		Path link = Files.createSymbolicLink(this.dir.resolve("2-2.ledger"), file);
		assertThat(this.files.checkFile(file)).isEmpty();
		assertThat(this.files.checkFile(link)).hasValue("it is a symbolic link");
	}

}
