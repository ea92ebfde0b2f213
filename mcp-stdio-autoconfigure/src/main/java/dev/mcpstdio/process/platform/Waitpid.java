package dev.mcpstdio.process.platform;

/**
 * The {@code waitpid(pid, NULL, WNOHANG)} call that Java does not offer: reaps one exited
 * child of this JVM that the JDK did not spawn (and so never waits for). Found by
 * {@link Platform#waitpid()}.
 */
public interface Waitpid {

	/** {@code WNOHANG} on Linux: return at once when the child has not exited. */
	int WNOHANG = 1;

	/**
	 * Reaps a child of this JVM if it has exited, without blocking.
	 * @param pid the child
	 * @return whether it was reaped
	 */
	boolean reap(long pid);

	/**
	 * What the call goes through, for the startup log.
	 * @return a description such as {@code JNA}
	 */
	String via();

}
