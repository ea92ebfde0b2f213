package dev.mcpstdio.process.sandbox;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * The bubblewrap command line a sandboxed server runs under: the host's file system
 * read-only, a private {@code /tmp}, {@code /proc} and {@code /dev}, the working
 * directory and the allow-write paths writable, deny-write paths read-only again,
 * deny-read paths hidden; its own PID namespace (so nothing of the tree outlives the
 * server) and, unless any domain may be reached, a network namespace with only a
 * loopback. No {@code --new-session}: the tree stays in the process group the launcher
 * made, where the stop ladder signals it.
 */
final class BwrapCommand {

	/** Where the proxy's socket directory appears inside the sandbox. */
	static final String PROXY_DIRECTORY = "/tmp/.mcp-stdio-proxy";

	/** The port of the sandbox's loopback where {@code socat} offers the proxy. */
	static final int PROXY_PORT = 3128;

	private BwrapCommand() {
	}

	/**
	 * The words before the server's command.
	 * @param bwrap the bubblewrap executable
	 * @param settings the sandbox
	 * @param workingDirectory the server's working directory
	 * @param command the server's command line, whose files under {@code /tmp} (a script,
	 * a class path) stay readable in the private {@code /tmp}
	 * @param proxy where the filtering proxy's socket directory is and the {@code socat}
	 * and {@code sh} that offer it inside, or {@code null} for none
	 * @return the words, ending with the ones that run the command
	 */
	static List<String> prefix(Path bwrap, SandboxSettings settings, Path workingDirectory, List<String> command,
			@Nullable Proxy proxy) {
		List<String> words = new ArrayList<>(List.of(bwrap.toString(), "--die-with-parent", "--unshare-pid",
				"--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try"));
		if (!settings.anyNetwork()) {
			words.add("--unshare-net");
		}
		words.addAll(List.of("--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--tmpfs", "/tmp"));
		for (Path path : filesUnderTmp(command)) {
			bind(words, "--ro-bind-try", path);
		}
		bind(words, "--bind-try", workingDirectory);
		for (String path : settings.allowWrite()) {
			bind(words, "--bind-try", Paths.of(path, workingDirectory));
		}
		for (String path : settings.denyWrite()) {
			bind(words, "--ro-bind-try", Paths.of(path, workingDirectory));
		}
		for (String path : settings.denyRead()) {
			Path hidden = Paths.of(path, workingDirectory);
			if (Files.isDirectory(hidden)) {
				words.addAll(List.of("--tmpfs", hidden.toString()));
			}
			else if (Files.exists(hidden)) {
				words.addAll(List.of("--ro-bind", "/dev/null", hidden.toString()));
			}
		}
		if (proxy != null) {
			words.addAll(List.of("--bind", proxy.directory().toString(), PROXY_DIRECTORY));
		}
		words.addAll(List.of("--chdir", workingDirectory.toString(), "--"));
		if (proxy != null) {
			// socat offers the proxy on the sandbox's own loopback; "$@" runs the command
			// as given, never parsed by the shell
			words.addAll(List.of(proxy.sh().toString(), "-c",
					proxy.socat() + " TCP-LISTEN:" + PROXY_PORT + ",bind=127.0.0.1,fork,reuseaddr UNIX-CONNECT:"
							+ PROXY_DIRECTORY + "/proxy.sock 2>/dev/null & exec \"$@\"",
					"mcp-stdio-sandbox"));
		}
		return words;
	}

	/**
	 * The existing files and directories under {@code /tmp} that a command line names,
	 * alone or in a path list ({@code -cp a:b}).
	 */
	private static Set<Path> filesUnderTmp(List<String> command) {
		Set<Path> paths = new LinkedHashSet<>();
		for (String word : command) {
			for (String part : word.split(File.pathSeparator)) {
				if (part.startsWith("/tmp/") && Files.exists(Path.of(part))) {
					paths.add(Path.of(part).normalize());
				}
			}
		}
		return paths;
	}

	private static void bind(List<String> words, String option, Path path) {
		if (path.getParent() == null) {
			return; // the root stays read-only: only a path below it is bound
		}
		words.addAll(List.of(option, path.toString(), path.toString()));
	}

	/**
	 * The filtering proxy as the sandbox reaches it.
	 *
	 * @param directory the directory of its socket
	 * @param socat the {@code socat} that offers it on the sandbox's loopback
	 * @param sh the shell that starts {@code socat} and then the command
	 */
	record Proxy(Path directory, Path socat, Path sh) {

	}

	/**
	 * Paths as a user writes them: {@code ~} for the home, relative to the working
	 * directory.
	 */
	static final class Paths {

		private Paths() {
		}

		static Path of(String path, Path workingDirectory) {
			String home = System.getProperty("user.home");
			String expanded = path.equals("~") ? home : path.startsWith("~/") ? home + path.substring(1) : path;
			return workingDirectory.resolve(expanded).normalize();
		}

	}

}
