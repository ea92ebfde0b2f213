package dev.mcpstdio.process.orphan;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import dev.mcpstdio.fixture.Required;
import dev.mcpstdio.process.platform.Platform;

/**
 * Acts as another local user ({@code nobody}, uid 65534) through {@code setpriv}, the way
 * an attacker on the same machine would. Needs root, as CI runs.
 */
final class OtherUser {

	private OtherUser() {
	}

	/** Skips the calling test where this JVM cannot act as another user. */
	static void assumeRoot() {
		Required.assumeOrFail(
				"root".equals(System.getProperty("user.name")) && Platform.isLinux()
						&& Platform.systemTool("setpriv").isPresent(),
				"MCP_STDIO_REQUIRE_ROOT", "acting as another user needs root and setpriv (util-linux)");
	}

	/**
	 * A directory like {@code /tmp}: anyone may create entries, only their owners remove
	 * them.
	 */
	static Path sharedDirectory(Path parent) throws IOException {
		Files.setPosixFilePermissions(parent, PosixFilePermissions.fromString("rwxr-xr-x"));
		Path shared = Files.createDirectory(parent.resolve("shared"));
		Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
		new ProcessBuilder("chmod", "+t", shared.toString()).start().onExit().join();
		return shared;
	}

	/** Runs a shell script as {@code nobody} and waits for it to succeed. */
	static void run(String script) throws IOException, InterruptedException {
		Process process = new ProcessBuilder(
				List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "sh", "-c", script))
			.redirectErrorStream(true)
			.start();
		String output = new String(process.getInputStream().readAllBytes());
		if (process.waitFor() != 0) {
			throw new IOException("as nobody, '" + script + "' failed: " + output);
		}
	}

}
