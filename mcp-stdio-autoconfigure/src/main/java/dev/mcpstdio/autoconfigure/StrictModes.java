package dev.mcpstdio.autoconfigure;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

/**
 * Checks, as sshd's {@code StrictModes} does, that a file whose content runs as the
 * application (the config-file, an envFile it names) can only have been written by the
 * application's user or root. The path is resolved as the kernel resolves it, symbolic
 * links followed; the file, every directory a name is looked up in on the way (up to
 * {@code /}) and every link followed must be owned by the application's user or root; the
 * file must be writable by nobody else, a directory too unless it is sticky (as
 * {@code /tmp}: others may not rename or delete what is not theirs). What lies on a
 * read-only file system (a Kubernetes ConfigMap volume) cannot be changed, so passes.
 * Where the file system has no unix modes (Windows), nothing is checked.
 */
final class StrictModes {

	private static final int GROUP_WRITE = 0020;

	private static final int OTHERS_WRITE = 0002;

	private static final int STICKY = 01000;

	private static final int MAX_LINKS = 40;

	private final @Nullable UserPrincipal user;

	/**
	 * Creates the check.
	 * @param user the application's user, or null where it is unknown (then only root is
	 * trusted)
	 */
	StrictModes(@Nullable UserPrincipal user) {
		this.user = user;
	}

	/** The check for the user this JVM runs as. */
	static StrictModes ofThisProcess() {
		return ThisProcess.MODES;
	}

	/**
	 * What others than the application's user and root may change on the way to a file.
	 * @param file the file
	 * @return the entries that others may change (the path, its mode and owner, the fix),
	 * in the order of the lookup; empty when the file is safe, or the file system has no
	 * unix modes
	 * @throws IOException if the path cannot be resolved or its attributes read (a
	 * {@link java.nio.file.NoSuchFileException} where the file does not exist)
	 */
	List<Unsafe> check(Path file) throws IOException {
		if (!file.getFileSystem().supportedFileAttributeViews().contains("unix")) {
			return List.of();
		}
		Map<Path, Kind> way = new LinkedHashMap<>();
		Path real = resolve(file.toAbsolutePath(), file.toAbsolutePath().getRoot(), way, new int[1]);
		way.put(real, Kind.FILE);
		List<Unsafe> unsafe = new ArrayList<>();
		for (Map.Entry<Path, Kind> entry : way.entrySet()) {
			Unsafe problem = problem(entry.getKey(), entry.getValue());
			if (problem != null) {
				unsafe.add(problem);
			}
		}
		return unsafe;
	}

	/**
	 * Resolves a path name by name from a directory, noting each directory a name is
	 * looked up in and each link followed.
	 */
	private static Path resolve(Path path, Path from, Map<Path, Kind> way, int[] links) throws IOException {
		Path root = path.getRoot();
		Path current = (root != null) ? root : from;
		for (Path name : path) {
			String element = name.toString();
			if (element.equals(".") || element.isEmpty()) {
				continue;
			}
			if (element.equals("..")) {
				Path parent = current.getParent();
				current = (parent != null) ? parent : current;
				continue;
			}
			way.putIfAbsent(current, Kind.DIRECTORY);
			Path next = current.resolve(element);
			if (Files.isSymbolicLink(next)) {
				if (++links[0] > MAX_LINKS) {
					throw new FileSystemException(path.toString(), null, "too many levels of symbolic links");
				}
				way.putIfAbsent(next, Kind.LINK);
				next = resolve(Files.readSymbolicLink(next), current, way, links);
			}
			current = next;
		}
		return current;
	}

	private @Nullable Unsafe problem(Path path, Kind kind) throws IOException {
		int mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
		int uid = (Integer) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS);
		UserPrincipal owner = Files.getOwner(path, LinkOption.NOFOLLOW_LINKS);
		boolean trustedOwner = uid == 0 || owner.equals(this.user);
		int othersWrite = (kind == Kind.LINK || kind == Kind.DIRECTORY && (mode & STICKY) != 0) ? 0
				: mode & (GROUP_WRITE | OTHERS_WRITE);
		if ((trustedOwner && othersWrite == 0) || readOnly((kind == Kind.LINK) ? path.getParent() : path)) {
			return null;
		}
		List<String> problems = new ArrayList<>();
		List<String> fixes = new ArrayList<>();
		if (!trustedOwner) {
			problems.add(notTrusted());
			String user = (this.user != null) ? this.user.getName() : "root";
			fixes.add("chown " + ((kind == Kind.LINK) ? "-h " : "") + user + " " + path);
		}
		if (othersWrite != 0) {
			problems.add("is writable by "
					+ ((othersWrite == GROUP_WRITE) ? "its group"
							: (othersWrite == OTHERS_WRITE) ? "others" : "its group and others")
					+ ((kind == Kind.DIRECTORY) ? " and not sticky" : ""));
			fixes.add("chmod " + ((othersWrite == GROUP_WRITE) ? "g" : (othersWrite == OTHERS_WRITE) ? "o" : "go")
					+ "-w " + path);
		}
		String ownerName = owner.getName().equals(String.valueOf(uid)) ? "uid " + uid
				: owner.getName() + " (uid " + uid + ")";
		return new Unsafe(kind.text + " " + path + " (mode " + String.format("%04o", mode & 07777) + ", owner "
				+ ownerName + ") " + String.join(" and ", problems), String.join(" && ", fixes));
	}

	private String notTrusted() {
		if (this.user == null) {
			return "is not owned by root (the application's user is unknown)";
		}
		if (this.user.getName().equals("root")) {
			return "is not owned by root, the application's user";
		}
		return "is owned by neither the application's user (" + this.user.getName() + ") nor root";
	}

	private static boolean readOnly(@Nullable Path path) {
		try {
			return path != null && Files.getFileStore(path).isReadOnly();
		}
		catch (IOException ex) {
			return false;
		}
	}

	/**
	 * Names the entries that others may change.
	 * @param unsafe the entries
	 * @return their descriptions, joined
	 */
	static String describe(List<Unsafe> unsafe) {
		return unsafe.stream().map(Unsafe::description).collect(Collectors.joining("; "));
	}

	/**
	 * The commands that fix the entries.
	 * @param unsafe the entries
	 * @return the commands, joined
	 */
	static String fix(List<Unsafe> unsafe) {
		return unsafe.stream().map(Unsafe::fix).collect(Collectors.joining(" && "));
	}

	/**
	 * An entry on the way to a file that others may change.
	 *
	 * @param description the entry, its mode and owner, and what is wrong with them
	 * @param fix the command that fixes it
	 */
	record Unsafe(String description, String fix) {

	}

	private enum Kind {

		FILE("file"), DIRECTORY("directory"), LINK("symbolic link");

		private final String text;

		Kind(String text) {
			this.text = text;
		}

	}

	/** The user this JVM runs as, looked up once. */
	private static final class ThisProcess {

		static final StrictModes MODES = new StrictModes(user());

		/**
		 * The user named by {@code user.name}, or else the owner of a file this JVM
		 * creates (a uid without a name in the user database).
		 */
		private static @Nullable UserPrincipal user() {
			Path here = Path.of("").toAbsolutePath();
			try {
				return here.getFileSystem()
					.getUserPrincipalLookupService()
					.lookupPrincipalByName(System.getProperty("user.name"));
			}
			catch (IOException | UnsupportedOperationException ex) {
				// a uid without a name, as in containers run with a random uid
			}
			try {
				Path probe = Files.createTempFile("mcp-stdio-owner", ".tmp");
				try {
					return Files.getOwner(probe);
				}
				finally {
					Files.delete(probe);
				}
			}
			catch (IOException | UnsupportedOperationException | SecurityException ex) {
				return null;
			}
		}

	}

}
