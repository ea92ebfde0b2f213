package dev.mcpstdio.process.platform;

import java.util.Optional;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code waitpid} through JNA, an optional dependency: where the application has
 * {@code net.java.dev.jna:jna} on its class path, a JVM older than Java 22 reaps too.
 */
final class JnaWaitpid implements Waitpid {

	private static final Logger logger = LoggerFactory.getLogger(JnaWaitpid.class);

	private final Function waitpid;

	private JnaWaitpid(Function waitpid) {
		this.waitpid = waitpid;
	}

	/** The call, where JNA (which must be on the class path) loads. */
	static Optional<Waitpid> load() {
		try {
			// the symbols of the process itself: the C library, whatever its file
			// is called
			return Optional.of(new JnaWaitpid(NativeLibrary.getProcess().getFunction("waitpid")));
		}
		catch (Throwable ex) {
			// its native part could not be loaded (a read-only temporary
			// directory, native access denied) or has no waitpid
			logger.debug("waitpid is not available through JNA", ex);
			return Optional.empty();
		}
	}

	@Override
	public boolean reap(long pid) {
		try {
			return this.waitpid.invokeInt(new Object[] { (int) pid, Pointer.NULL, WNOHANG }) == pid;
		}
		catch (RuntimeException | LinkageError ex) {
			logger.debug("waitpid({}) failed", pid, ex);
			return false;
		}
	}

	@Override
	public String via() {
		return "JNA";
	}

}
