package dev.mcpstdio.process.sandbox;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import dev.mcpstdio.process.platform.Platform;
import org.jspecify.annotations.Nullable;

/**
 * Whether bubblewrap can make a sandbox here: tried once per bubblewrap executable and
 * JVM, by running {@code true} in a sandbox like the servers'.
 */
final class SandboxProbe {

	private static final String WARN_INSTEAD = " Or set sandbox.on-unavailable: warn to run the server unconfined.";

	private static final Map<String, Optional<String>> results = new ConcurrentHashMap<>();

	private SandboxProbe() {
	}

	/**
	 * Why no sandbox can run, with the fix.
	 * @param bwrap the bubblewrap executable found, if any
	 * @return the reason and the fix, or empty where a sandbox runs
	 */
	static Optional<String> unavailable(@Nullable Path bwrap) {
		if (!Platform.isLinux()) {
			return Optional.of("the sandbox needs Linux (bubblewrap) and this is " + System.getProperty("os.name")
					+ ". Run the server in a container, whose engine confines it." + WARN_INSTEAD);
		}
		if (bwrap == null) {
			return Optional.of("bubblewrap (bwrap) was not found on the server's PATH. Install it"
					+ " (apt-get install bubblewrap, dnf install bubblewrap, apk add bubblewrap) or add its"
					+ " directory to PATH." + WARN_INSTEAD);
		}
		return results.computeIfAbsent(bwrap.toString(), (key) -> probe(bwrap));
	}

	private static Optional<String> probe(Path bwrap) {
		Path truePath = Platform.systemTool("true").orElse(Path.of("/bin/true"));
		List<String> command = List.of(bwrap.toString(), "--unshare-pid", "--unshare-net", "--ro-bind", "/", "/",
				"--dev", "/dev", "--proc", "/proc", "--tmpfs", "/tmp", "--", truePath.toString());
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectInput(ProcessBuilder.Redirect.PIPE)
				.start();
			process.getOutputStream().close();
			if (!process.waitFor(10, TimeUnit.SECONDS)) {
				process.destroyForcibly();
				return Optional.of(bwrap + " did not make a sandbox within 10 seconds." + WARN_INSTEAD);
			}
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
			if (process.exitValue() == 0) {
				return Optional.empty();
			}
			return Optional.of(bwrap + " cannot make a sandbox here: " + output + ". Allow user namespaces:"
					+ " sysctl -w kernel.unprivileged_userns_clone=1 (Debian), user.max_user_namespaces above 0,"
					+ " kernel.apparmor_restrict_unprivileged_userns=0 or an AppArmor profile for bwrap (Ubuntu"
					+ " 24.04+); inside a container, run it with a seccomp profile that allows them." + WARN_INSTEAD);
		}
		catch (IOException ex) {
			return Optional.of(bwrap + " could not be run: " + ex.getMessage() + "." + WARN_INSTEAD);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			// not an answer: thrown, so that the next launch probes again
			throw new ConfinementException("The probe of " + bwrap + " was interrupted", ex);
		}
	}

}
