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
 * The bubblewrap command line a sandboxed server runs under: a user namespace with no
 * capability (nor any further user namespace), the host's file system read-only with
 * {@code /proc/sys} and {@code /dev} too, a private {@code /tmp} and {@code /dev/shm} of
 * a bounded size, the working directory and the allow-write paths writable, deny-write
 * paths and the never-writable ones read-only again, hidden paths gone; its own PID
 * namespace (so nothing of the tree outlives the server) and, unless the host's network
 * is asked for, a network namespace with only a loopback; the seccomp filter on the
 * command. No {@code --new-session}: the tree stays in the process group the launcher
 * made, where the stop ladder signals it.
 *
 * <p>
 * With a filtering proxy, {@code socat} offers it on the sandbox's loopback outside the
 * filter (it must open unix sockets), and a second bubblewrap inside the first puts the
 * filter on the command alone.
 */
final class BwrapCommand {

	/** Where the proxy's socket directory appears inside the sandbox. */
	static final String PROXY_DIRECTORY = "/tmp/.mcp-stdio-proxy";

	/**
	 * Where the seccomp filter appears inside a sandbox whose command a second bwrap
	 * runs.
	 */
	static final String FILTER = "/tmp/.mcp-stdio-seccomp.bpf";

	/** The port of the sandbox's loopback where {@code socat} offers the proxy. */
	static final int PROXY_PORT = 3128;

	/** The descriptor the filter is read from. */
	static final int FILTER_FD = 9;

	private BwrapCommand() {
	}

	/**
	 * The words before the server's command, where the filter is opened as
	 * {@link #FILTER_FD} by the caller: {@code sh}, running the rest as {@code "$@"}.
	 * @param bwrap the bubblewrap executable
	 * @param settings the sandbox
	 * @param launch what the launch holds
	 * @param proxy where the filtering proxy's socket directory is and the {@code socat}
	 * and {@code sh} that offer it inside, or {@code null} for none
	 * @return the words, ending with the ones that run the command
	 */
	static List<String> prefix(Path bwrap, SandboxSettings settings, Launch launch, @Nullable Proxy proxy) {
		List<String> words = new ArrayList<>();
		if (proxy == null) {
			// the filter goes on the sandbox itself: its file is opened on the host
			words.addAll(List.of(launch.sh().toString(), "-c", "f=$1; shift; exec \"$@\" " + FILTER_FD + "<\"$f\"",
					"mcp-stdio-seccomp", launch.filter().toString()));
		}
		words.addAll(List.of(bwrap.toString(), "--die-with-parent", "--unshare-user"));
		if (proxy == null) {
			words.add("--disable-userns");
		}
		words.addAll(List.of("--cap-drop", "ALL", "--unshare-pid", "--unshare-ipc", "--unshare-uts",
				"--unshare-cgroup-try"));
		if (!settings.hostNetwork()) {
			words.add("--unshare-net");
		}
		String size = Long.toString(launch.tmpfsBytes());
		words.addAll(List.of("--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc"));
		if (proxy == null) {
			// a second bubblewrap needs it writable to disable user namespaces: it binds
			// it read-only itself
			words.addAll(List.of("--ro-bind", "/proc/sys", "/proc/sys"));
		}
		words.addAll(List.of("--size", size, "--tmpfs", "/tmp", "--size", size, "--tmpfs", "/dev/shm", "--remount-ro",
				"/dev"));
		BindSources sources = new BindSources(launch.writable());
		for (Path path : filesUnderTmp(launch.command())) {
			bind(words, "--ro-bind-try", sources, path);
		}
		// a writable path inside another is writable through it: bound by name, it could
		// be a link that a server swapped in while this one starts; a path the server's
		// user cannot reach it could not write either (a WARN says so)
		for (Path writable : launch.writable()) {
			if (!sources.insideWritable(writable) && SandboxUser.canReach(writable)) {
				bind(words, "--bind-try", sources, writable);
			}
		}
		List<Path> readOnly = new ArrayList<>();
		settings.denyWrite().forEach((path) -> readOnly.add(Paths.of(path, launch.base())));
		readOnly.addAll(launch.paths().neverWritable());
		for (Path path : readOnly) {
			if (SandboxUser.canReach(path)) {
				pin(words, sources, path);
				bind(words, "--ro-bind-try", sources, path);
			}
		}
		for (Path hidden : launch.paths().hidden()) {
			pin(words, sources, hidden);
			hide(words, hidden);
		}
		for (Path path : launch.paths().readBack()) {
			bind(words, "--ro-bind-try", sources, path);
		}
		for (Path socket : launch.hiddenSockets()) {
			hide(words, socket);
		}
		if (proxy == null) {
			words.addAll(List.of("--seccomp", Integer.toString(FILTER_FD), "--chdir",
					launch.workingDirectory().toString(), "--"));
			return words;
		}
		words.addAll(List.of("--ro-bind", proxy.directory().toString(), PROXY_DIRECTORY, "--ro-bind",
				launch.filter().toString(), FILTER, "--chdir", launch.workingDirectory().toString(), "--"));
		// socat offers the proxy on the sandbox's own loopback, unfiltered; the second
		// bubblewrap loads the filter and runs "$@", the command as given, never parsed
		// by the shell
		words.addAll(List.of(proxy.sh().toString(), "-c",
				quote(proxy.socat().toString()) + " TCP-LISTEN:" + PROXY_PORT + ",bind=127.0.0.1,fork,reuseaddr"
						+ " UNIX-CONNECT:" + PROXY_DIRECTORY + "/proxy.sock 2>/dev/null & exec "
						+ quote(bwrap.toString()) + " --die-with-parent --unshare-user --disable-userns --cap-drop ALL"
						+ " --dev-bind / / --ro-bind /proc/sys /proc/sys --seccomp " + FILTER_FD + " -- \"$@\" "
						+ FILTER_FD + "<" + FILTER,
				"mcp-stdio-sandbox"));
		return words;
	}

	private static void hide(List<String> words, Path hidden) {
		if (Files.isDirectory(hidden)) {
			words.addAll(List.of("--perms", "0000", "--tmpfs", hidden.toString()));
		}
		else if (Files.exists(hidden)) {
			words.addAll(List.of("--ro-bind", "/dev/null", hidden.toString()));
		}
	}

	/** A word of a shell script, quoted. */
	static String quote(String word) {
		return "'" + word.replace("'", "'\\''") + "'";
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

	/** Binds a path by the source {@link BindSources} allows, at the same place. */
	private static void bind(List<String> words, String option, BindSources sources, Path path) {
		sources.source(path)
			.filter((source) -> source.getParent() != null) // the root stays read-only
			.ifPresent((source) -> words.addAll(List.of(option, source.toString(), source.toString())));
	}

	/**
	 * Pins the directories between a protected path and the writable path holding it:
	 * bound read-only onto themselves, so that none can be moved away nor written (and a
	 * link swapped in meanwhile binds its target read-only, which gives nothing).
	 */
	private static void pin(List<String> words, BindSources sources, Path path) {
		for (Path directory : sources.pins(path)) {
			bind(words, "--ro-bind-try", sources, directory);
		}
	}

	/**
	 * What one launch gives its sandbox.
	 *
	 * @param workingDirectory the server's working directory
	 * @param base what relative paths of the settings are relative to: the working
	 * directory the user set, else the application's
	 * @param writable what the server may write: its working directory first, then its
	 * allow-write paths
	 * @param command the server's command line, whose files under {@code /tmp} (a script,
	 * a class path) stay readable in the private {@code /tmp}
	 * @param paths what is hidden, read back and never writable
	 * @param hiddenSockets the host's unix sockets hidden from a server that may open
	 * unix sockets
	 * @param tmpfsBytes the size of the private {@code /tmp} and {@code /dev/shm} each
	 * @param filter the seccomp filter's file on the host
	 * @param sh the shell that opens the filter
	 */
	record Launch(Path workingDirectory, Path base, List<Path> writable, List<String> command, PathRules paths,
			List<Path> hiddenSockets, long tmpfsBytes, Path filter, Path sh) {

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
