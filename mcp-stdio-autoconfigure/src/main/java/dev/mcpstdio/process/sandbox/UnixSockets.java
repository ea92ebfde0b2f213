package dev.mcpstdio.process.sandbox;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The host's unix sockets as a sandbox sees them. A server given none may open no unix
 * socket at all (the seccomp filter). A server given some may open unix sockets, so every
 * other socket the host listens on (as {@code /proc/net/unix} lists them when the server
 * starts) is hidden from it and the allowed ones are bound into its view, also under the
 * private {@code /tmp}. A socket made after the start is not hidden: only the filter
 * covers those.
 */
final class UnixSockets {

	private UnixSockets() {
	}

	/**
	 * The allowed sockets, as existing paths.
	 * @param allowed the paths the server may connect to
	 * @param base what relative paths are relative to
	 * @return the paths that exist
	 */
	static List<Path> allowed(List<String> allowed, Path base) {
		return List.copyOf(PathRules.expand(allowed, base));
	}

	/**
	 * The sockets to hide from a server that may open unix sockets.
	 * @param allowed the allowed ones, as {@link #allowed} gives them
	 * @return the host's other listening sockets that exist as files
	 */
	static List<Path> hidden(List<Path> allowed) {
		return hidden(Path.of("/proc/net/unix"), allowed);
	}

	static List<Path> hidden(Path table, List<Path> allowed) {
		Set<Path> sockets = new LinkedHashSet<>();
		try {
			List<String> lines = Files.readAllLines(table, StandardCharsets.UTF_8);
			for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
				int slash = line.indexOf(" /");
				if (slash >= 0) {
					sockets.add(Path.of(line.substring(slash + 1).trim()).normalize());
				}
			}
		}
		catch (IOException ex) {
			// no table: the sockets stay where they are, as with any socket made later
		}
		List<Path> hidden = new ArrayList<>();
		for (Path socket : sockets) {
			if (!allowed.contains(socket) && Files.exists(socket)) {
				hidden.add(socket);
			}
		}
		return hidden;
	}

}
