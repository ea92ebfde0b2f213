package dev.mcpstdio.process;

import java.util.List;
import java.util.regex.Pattern;

import dev.mcpstdio.process.platform.Platform;

/**
 * Names of environment variables matched against globs: {@code *} for any run of
 * characters, {@code ?} for one, anything else for itself; case-sensitive where variable
 * names are, not on Windows.
 */
final class EnvGlobs {

	private final List<Pattern> patterns;

	EnvGlobs(List<String> globs) {
		int flags = Platform.isWindows() ? Pattern.CASE_INSENSITIVE : 0;
		this.patterns = globs.stream().map((glob) -> Pattern.compile(regex(glob), flags)).toList();
	}

	boolean matches(String name) {
		return this.patterns.stream().anyMatch((pattern) -> pattern.matcher(name).matches());
	}

	private static String regex(String glob) {
		StringBuilder regex = new StringBuilder();
		StringBuilder literal = new StringBuilder();
		for (char c : glob.toCharArray()) {
			if (c == '*' || c == '?') {
				regex.append(Pattern.quote(literal.toString())).append((c == '*') ? ".*" : ".");
				literal.setLength(0);
			}
			else {
				literal.append(c);
			}
		}
		return regex.append(Pattern.quote(literal.toString())).toString();
	}

}
