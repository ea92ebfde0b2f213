package dev.mcpstdio.process.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import dev.mcpstdio.process.platform.Platform;

/**
 * Who a sandboxed server runs as: the application's own user, or, where the application
 * runs as root, the unprivileged {@code nobody} (uid and gid 65534), so that nothing the
 * kernel grants uid 0 (sysctls, files only root may read, a core pattern run as root)
 * reaches the server, whatever its namespace.
 */
final class SandboxUser {

	/** The uid and gid a server of an application run as root gets. */
	static final int NOBODY = 65534;

	private static final boolean ROOT = readRoot();

	private SandboxUser() {
	}

	/**
	 * Whether the application runs as root, so that its servers run as {@link #NOBODY}.
	 */
	static boolean applicationIsRoot() {
		return ROOT;
	}

	/**
	 * The options that make {@code setpriv} run the sandbox as {@link #NOBODY} where the
	 * application is root, with no supplementary group; none otherwise.
	 */
	static List<String> setprivOptions() {
		return ROOT ? List.of("--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups") : List.of();
	}

	/**
	 * Gives a path the server must write to its user, where that is not the
	 * application's.
	 * @param path a file or directory the starter made for the server
	 * @throws IOException if its owner cannot be changed
	 */
	static void own(Path path) throws IOException {
		if (ROOT) {
			Files.setAttribute(path, "unix:uid", NOBODY);
			Files.setAttribute(path, "unix:gid", NOBODY);
		}
	}

	/**
	 * Whether the server's user can write a path of the host: always where it is the
	 * application's own user (the sandbox decides), by the path's owner and mode where it
	 * is {@link #NOBODY}.
	 */
	static boolean canWrite(Path path) {
		return !ROOT || permits(path, 02);
	}

	/**
	 * Whether the server's user can reach a path of the host (every directory above it
	 * searchable by it), so that bubblewrap, running as that user, can mount over it.
	 */
	static boolean canReach(Path path) {
		return blockingDirectory(path).isEmpty();
	}

	/**
	 * The directory above a path that the server's user cannot search, where there is
	 * one.
	 */
	static Optional<Path> blockingDirectory(Path path) {
		if (!ROOT) {
			return Optional.empty();
		}
		for (Path directory = path.toAbsolutePath().getParent(); directory != null; directory = directory.getParent()) {
			// a directory that does not exist blocks nothing: what lies below it does not
			// either
			if (Files.exists(directory) && !permits(directory, 01)) {
				return Optional.of(directory);
			}
		}
		return Optional.empty();
	}

	/**
	 * Whether the server's user has a permission on a path of the host.
	 * @param path the path
	 * @param others the permission's bit for others: 04 read, 02 write, 01 search
	 */
	private static boolean permits(Path path, int others) {
		try {
			int mode = (Integer) Files.getAttribute(path, "unix:mode");
			int uid = (Integer) Files.getAttribute(path, "unix:uid");
			int gid = (Integer) Files.getAttribute(path, "unix:gid");
			int bits = (uid == NOBODY) ? (mode >> 6) : (gid == NOBODY) ? (mode >> 3) : mode;
			return (bits & others) != 0;
		}
		catch (IOException | UnsupportedOperationException ex) {
			return false;
		}
	}

	private static boolean readRoot() {
		if (!Platform.isLinux()) {
			return false;
		}
		try {
			return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
		}
		catch (IOException | UnsupportedOperationException | ClassCastException ex) {
			return false;
		}
	}

}
