package dev.mcpstdio.process;

import java.nio.file.FileSystems;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.List;

/**
 * Names of environment variables matched against globs ({@code NPM_CONFIG_*},
 * {@code LC_?}, {@code {AWS,GCP}_REGION}), with the platform's glob syntax:
 * case-sensitive where variable names are, not on Windows.
 */
final class EnvGlobs {

	private final List<PathMatcher> matchers;

	EnvGlobs(List<String> globs) {
		this.matchers = globs.stream().map((glob) -> FileSystems.getDefault().getPathMatcher("glob:" + glob)).toList();
	}

	boolean matches(String name) {
		if (this.matchers.isEmpty()) {
			return false;
		}
		Path path;
		try {
			path = Path.of(name);
		}
		catch (InvalidPathException ex) {
			return false; // Windows' own hidden variables (=C:) are never matched
		}
		return this.matchers.stream().anyMatch((matcher) -> matcher.matches(path));
	}

}
