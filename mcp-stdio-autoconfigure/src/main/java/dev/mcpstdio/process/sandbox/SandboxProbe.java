package dev.mcpstdio.process.sandbox;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import dev.mcpstdio.process.platform.Platform;
import org.jspecify.annotations.Nullable;

/**
 * Whether a server's sandbox can run here: bubblewrap tried once per executable and JVM,
 * by running {@code true} in a sandbox like the servers', and what else the server's
 * settings need; and, where the application is root, whether the sandbox's user can reach
 * the server's own files.
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

	/**
	 * Why a server's sandbox cannot run here, with the fix: bubblewrap, the tools its
	 * settings need, an architecture the filter knows, and {@code setpriv} where the
	 * application is root.
	 * @param sandbox the server's sandbox
	 * @param bwrap the bubblewrap executable found, if any
	 * @param tools finds an executable on the server's PATH
	 * @return the reason and the fix, or empty where it runs
	 */
	static Optional<String> unavailable(SandboxSettings sandbox, Optional<Path> bwrap,
			Function<String, Optional<Path>> tools) {
		Optional<String> unavailable = unavailable(bwrap.orElse(null));
		if (unavailable.isEmpty() && sandbox.filteredNetwork() && tools.apply("socat").isEmpty()) {
			return Optional.of("socat was not found on the server's PATH; it carries the filtering proxy of"
					+ " sandbox.network.allowed-domains into the sandbox. Install it (apt-get install socat).");
		}
		if (unavailable.isEmpty() && SeccompFilter.forThisMachine(false).isEmpty()) {
			return Optional.of("the sandbox's seccomp filter knows x86_64 and aarch64, and this machine is "
					+ System.getProperty("os.arch") + ". Run the server in a container, whose engine confines it.");
		}
		if (unavailable.isEmpty() && SandboxUser.applicationIsRoot() && Platform.systemTool("setpriv").isEmpty()) {
			return Optional.of("the application runs as root and a sandboxed server runs as the unprivileged uid "
					+ SandboxUser.NOBODY + ", which needs setpriv (util-linux). Install util-linux, or run the"
					+ " application as an unprivileged user.");
		}
		return unavailable;
	}

	/**
	 * Fails where the application runs as root and the server's user cannot reach a file
	 * its command names, which bubblewrap could not bind nor the server read.
	 */
	static void checkReachable(String server, List<String> command) {
		for (String word : command) {
			for (String part : word.split(java.io.File.pathSeparator)) {
				if (!part.startsWith("/") || !Files.exists(Path.of(part))) {
					continue;
				}
				Optional<Path> blocking = SandboxUser.blockingDirectory(Path.of(part));
				if (blocking.isPresent()) {
					throw new ConfinementException("MCP server '" + server + "' runs sandboxed as uid "
							+ SandboxUser.NOBODY + " (the application runs as root), which cannot reach " + part
							+ ": the directory " + blocking.get() + " is not searchable by others. Install the server"
							+ " where others may read it, or chmod o+x " + blocking.get() + ".");
				}
			}
		}
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
