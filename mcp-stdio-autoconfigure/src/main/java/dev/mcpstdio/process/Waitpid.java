package dev.mcpstdio.process;

import java.util.Optional;

/**
 * The {@code waitpid(pid, NULL, WNOHANG)} call that Java does not offer: reaps one exited
 * child of this JVM that the JDK did not spawn (and so never waits for).
 */
interface Waitpid {

	/** {@code WNOHANG} on Linux: return at once when the child has not exited. */
	int WNOHANG = 1;

	/**
	 * Reaps a child of this JVM if it has exited, without blocking.
	 * @param pid the child
	 * @return whether it was reaped
	 */
	boolean reap(long pid);

	/** What the call goes through, for the startup log. */
	String via();

	/**
	 * The first way to call {@code waitpid} this JVM offers: Java's foreign function API
	 * (Java 22+), else JNA where it is on the class path.
	 * @return the call, or empty where neither works
	 */
	static Optional<Waitpid> find() {
		Optional<Waitpid> foreign = ForeignWaitpid.load();
		if (foreign.isPresent()) {
			return foreign;
		}
		// JnaWaitpid is not even loaded where JNA is absent
		return jnaPresent() ? JnaWaitpid.load() : Optional.empty();
	}

	private static boolean jnaPresent() {
		try {
			Class.forName("com.sun.jna.NativeLibrary", false, Waitpid.class.getClassLoader());
			return true;
		}
		catch (ClassNotFoundException | LinkageError ex) {
			return false;
		}
	}

}
