package dev.mcpstdio.process;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * Facts about the operating system the starter runs on.
 */
final class Platform {

	private static final String OS = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);

	private Platform() {
	}

	static boolean isWindows() {
		return OS.startsWith("windows");
	}

	static boolean isLinux() {
		return OS.startsWith("linux");
	}

	/**
	 * An executable of the system found in the usual places, never a user's PATH entry.
	 */
	static Optional<Path> systemTool(String name) {
		for (String dir : new String[] { "/usr/bin", "/bin", "/usr/sbin", "/sbin" }) {
			Path candidate = Path.of(dir, name);
			if (Files.isExecutable(candidate)) {
				return Optional.of(candidate);
			}
		}
		return Optional.empty();
	}

}
