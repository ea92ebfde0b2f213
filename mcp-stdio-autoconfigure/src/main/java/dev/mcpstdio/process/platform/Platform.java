package dev.mcpstdio.process.platform;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * Facts about the operating system the starter runs on, and the calls into it that Java
 * does not offer.
 */
public final class Platform {

	private static final String OS = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);

	private Platform() {
	}

	/** Whether the system is Windows. */
	public static boolean isWindows() {
		return OS.startsWith("windows");
	}

	/** Whether the system is Linux. */
	public static boolean isLinux() {
		return OS.startsWith("linux");
	}

	/**
	 * An executable of the system found in the usual places, never a user's PATH entry.
	 * @param name its file name
	 * @return its path, or empty where the system has none
	 */
	public static Optional<Path> systemTool(String name) {
		for (String dir : new String[] { "/usr/bin", "/bin", "/usr/sbin", "/sbin" }) {
			Path candidate = Path.of(dir, name);
			if (Files.isExecutable(candidate)) {
				return Optional.of(candidate);
			}
		}
		return Optional.empty();
	}

	/**
	 * The first way to call {@code waitpid} this JVM offers: Java's foreign function API
	 * (Java 22+), else JNA where it is on the class path.
	 * @return the call, or empty where neither works
	 */
	public static Optional<Waitpid> waitpid() {
		Optional<Waitpid> foreign = foreignWaitpid();
		if (foreign.isPresent()) {
			return foreign;
		}
		return jnaWaitpid();
	}

	/**
	 * {@code waitpid} through Java's foreign function API.
	 * @return the call, or empty where this Java lacks the API or may not use it
	 */
	public static Optional<Waitpid> foreignWaitpid() {
		return ForeignWaitpid.load();
	}

	/**
	 * {@code waitpid} through JNA.
	 * @return the call, or empty where JNA is not on the class path or does not load
	 */
	public static Optional<Waitpid> jnaWaitpid() {
		// JnaWaitpid is not even loaded where JNA is absent
		return jnaPresent() ? JnaWaitpid.load() : Optional.empty();
	}

	private static boolean jnaPresent() {
		try {
			Class.forName("com.sun.jna.NativeLibrary", false, Platform.class.getClassLoader());
			return true;
		}
		catch (ClassNotFoundException | LinkageError ex) {
			return false;
		}
	}

}
