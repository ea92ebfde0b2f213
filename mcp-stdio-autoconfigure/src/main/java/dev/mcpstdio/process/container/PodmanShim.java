package dev.mcpstdio.process.container;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Tells a {@code docker} that is really podman: the {@code docker} of the podman-docker
 * package, a script that execs podman, or a link to podman. Its {@code rm -f} is
 * podman's, which waits a 10 s grace period unless given {@code -t 0}. Each executable is
 * looked at once per JVM (its real path, and where that is a small script, its text); it
 * is never run.
 */
final class PodmanShim {

	/** The largest file read as a script: a shim is a few lines. */
	private static final long MAX_SCRIPT_BYTES = 64 * 1024;

	/** A line that execs podman: {@code exec /usr/bin/podman "$@"}. */
	private static final Pattern EXEC_PODMAN = Pattern
		.compile("^\\s*exec\\s+[\"']?(?:[^\\s\"']*/)?podman[\"']?(?:\\s|$)", Pattern.MULTILINE);

	private static final Map<Path, Boolean> known = new ConcurrentHashMap<>();

	private PodmanShim() {
	}

	/**
	 * Whether an executable is podman under another name.
	 * @param executable the CLI's executable
	 * @return whether it is podman, or a script that execs podman
	 */
	static boolean isPodman(Path executable) {
		return known.computeIfAbsent(executable, PodmanShim::inspect);
	}

	private static boolean inspect(Path executable) {
		try {
			Path real = executable.toRealPath();
			Path fileName = real.getFileName();
			if (fileName != null && fileName.toString().toLowerCase(Locale.ROOT).matches("podman(\\.exe)?")) {
				return true;
			}
			if (!Files.isRegularFile(real) || Files.size(real) > MAX_SCRIPT_BYTES) {
				return false;
			}
			String text = new String(Files.readAllBytes(real), StandardCharsets.ISO_8859_1);
			return text.startsWith("#!") && EXEC_PODMAN.matcher(text).find();
		}
		catch (IOException | RuntimeException ex) {
			// not there, or not readable: taken for what its name says
			return false;
		}
	}

}
