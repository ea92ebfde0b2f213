package dev.mcpstdio.autoconfigure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;

import org.junit.jupiter.api.BeforeEach;
import dev.mcpstdio.fixture.Required;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@link StrictModes} on real files and directories under a {@link TempDir} (itself under
 * the sticky {@code /tmp}), their modes and owners set for each case. Changing an owner
 * needs root, as the tests run in CI.
 */
@DisabledOnOs(OS.WINDOWS)
class StrictModesTests {

	private static final int NOBODY = 65534;

	private final StrictModes modes = StrictModes.ofThisProcess();

	@TempDir
	Path temp;

	private Path dir;

	private String owner;

	@BeforeEach
	void realPath() throws IOException {
		this.dir = this.temp.toRealPath();
		this.owner = owner(this.dir);
	}

	@Test
	void fileOnlyItsOwnerMayWriteInAStickyTmpPasses() throws Exception {
		Path file = file(this.dir.resolve("mcp.json"), "rw-r--r--");
		assertThat(Files.getAttribute(Path.of("/tmp").toRealPath(), "unix:mode")).matches((mode) -> sticky(mode));
		assertThat(this.modes.check(file)).isEmpty();
	}

	@Test
	void fileWritableByItsGroupAndOthersIsUnsafeNamingItsModeOwnerAndTheChmod() throws Exception {
		Path file = file(this.dir.resolve("mcp.json"), "rw-rw-rw-");
		assertThat(this.modes.check(file)).containsExactly(new StrictModes.Unsafe(
				"file " + file + " (mode 0666, owner " + this.owner + ") is writable by its group and others",
				"chmod go-w " + file));
	}

	@Test
	void fileWritableByItsGroupOnlyNeedsTheGroupsWriteRemoved() throws Exception {
		Path file = file(this.dir.resolve("mcp.json"), "rw-rw-r--");
		assertThat(this.modes.check(file)).extracting(StrictModes.Unsafe::fix).containsExactly("chmod g-w " + file);
	}

	@Test
	void directoryAnyoneMayWriteWithoutTheStickyBitIsUnsafe() throws Exception {
		Path open = directory(this.dir.resolve("open"), 0777);
		Path file = file(open.resolve("mcp.json"), "rw-r--r--");
		assertThat(this.modes.check(file))
			.containsExactly(new StrictModes.Unsafe("directory " + open + " (mode 0777, owner " + this.owner
					+ ") is writable by its group and others and not sticky", "chmod go-w " + open));
	}

	@Test
	void stickyDirectoryAnyoneMayWritePasses() throws Exception {
		Path shared = directory(this.dir.resolve("shared"), 01777);
		assertThat(this.modes.check(file(shared.resolve("mcp.json"), "rw-r--r--"))).isEmpty();
	}

	@Test
	void everyUnsafeEntryIsNamedInTheOrderOfTheLookup() throws Exception {
		Path open = directory(this.dir.resolve("open"), 0775);
		Path file = file(open.resolve("mcp.json"), "rw-rw-rw-");
		assertThat(this.modes.check(file)).extracting(StrictModes.Unsafe::fix)
			.containsExactly("chmod g-w " + open, "chmod go-w " + file);
		assertThat(StrictModes.fix(this.modes.check(file))).isEqualTo("chmod g-w " + open + " && chmod go-w " + file);
	}

	@Test
	void fileOwnedByAnotherUserIsUnsafeNamingTheChown() throws Exception {
		assumeRoot();
		Path file = file(this.dir.resolve("mcp.json"), "rw-r--r--");
		Files.setAttribute(file, "unix:uid", NOBODY);
		assertThat(this.modes.check(file)).containsExactly(new StrictModes.Unsafe(
				"file " + file + " (mode 0644, owner " + owner(file) + ") is not owned by root, the application's user",
				"chown root " + file));
	}

	@Test
	void fileOwnedByTheApplicationsUserPasses() throws Exception {
		assumeRoot();
		Path file = file(this.dir.resolve("mcp.json"), "rw-r--r--");
		Files.setAttribute(file, "unix:uid", NOBODY);
		UserPrincipal nobody = Files.getOwner(file);
		assertThat(new StrictModes(nobody).check(file)).isEmpty();
		Files.setAttribute(file, "unix:uid", 0);
		assertThat(new StrictModes(nobody).check(file)).as("root is trusted too").isEmpty();
	}

	@Test
	void kubernetesConfigMapBehindSymbolicLinksPasses() throws Exception {
		// as the kubelet writes it: mcp.json -> ..data/mcp.json, ..data -> ..2026_x
		Path version = directory(this.dir.resolve("..2026_01_01_00_00_00.1"), 0755);
		file(version.resolve("mcp.json"), "rw-r--r--");
		Files.createSymbolicLink(this.dir.resolve("..data"), version.getFileName());
		Path link = Files.createSymbolicLink(this.dir.resolve("mcp.json"), Path.of("..data/mcp.json"));
		assertThat(this.modes.check(link)).isEmpty();
	}

	@Test
	void symbolicLinkOnTheWayOwnedByAnotherUserIsUnsafe() throws Exception {
		assumeRoot();
		Path target = file(this.dir.resolve("real.json"), "rw-r--r--");
		Path link = Files.createSymbolicLink(this.dir.resolve("mcp.json"), target.getFileName());
		Files.setAttribute(link, "unix:uid", NOBODY, LinkOption.NOFOLLOW_LINKS);
		assertThat(this.modes.check(link)).extracting(StrictModes.Unsafe::fix).containsExactly("chown -h root " + link);
	}

	@Test
	void directoryHoldingALinkOnTheWayIsCheckedThoughTheRealPathAvoidsIt() throws Exception {
		Path target = file(this.dir.resolve("real.json"), "rw-r--r--");
		Path open = directory(this.dir.resolve("open"), 0777);
		Path link = Files.createSymbolicLink(open.resolve("mcp.json"), target);
		assertThat(this.modes.check(link)).extracting(StrictModes.Unsafe::fix).containsExactly("chmod go-w " + open);
	}

	@Test
	void missingFileIsLeftToTheReadToReport() {
		assertThatExceptionOfType(NoSuchFileException.class)
			.isThrownBy(() -> this.modes.check(this.dir.resolve("missing.json")));
	}

	private static Path file(Path path, String permissions) throws IOException {
		Files.writeString(path, "{\"mcpServers\": {}}");
		return Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(permissions));
	}

	private static Path directory(Path path, int mode) throws IOException {
		Files.createDirectory(path);
		Files.setAttribute(path, "unix:mode", mode);
		return path;
	}

	private static boolean sticky(Object mode) {
		return ((Integer) mode & 01000) != 0;
	}

	private static String owner(Path path) throws IOException {
		return Files.getOwner(path, LinkOption.NOFOLLOW_LINKS).getName() + " (uid "
				+ Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS) + ")";
	}

	private void assumeRoot() throws IOException {
		Required.assumeOrFail(Integer.valueOf(0).equals(Files.getAttribute(this.dir, "unix:uid")),
				"MCP_STDIO_REQUIRE_ROOT", "changing an owner needs root");
	}

}
