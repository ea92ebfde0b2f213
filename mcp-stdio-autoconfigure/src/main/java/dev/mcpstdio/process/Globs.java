package dev.mcpstdio.process;

import java.util.List;
import java.util.regex.Pattern;

import dev.mcpstdio.process.platform.Platform;

/**
 * Names matched against globs: {@code *} for any run of characters, {@code ?} for one,
 * anything else for itself.
 */
public final class Globs {

	private final List<Pattern> patterns;

	private Globs(List<String> globs, boolean ignoreCase) {
		int flags = ignoreCase ? Pattern.CASE_INSENSITIVE : 0;
		this.patterns = globs.stream().map((glob) -> Pattern.compile(regex(glob), flags)).toList();
	}

	/**
	 * Globs matched with case.
	 * @param globs the globs
	 * @return the globs, to match names against
	 */
	public static Globs of(List<String> globs) {
		return new Globs(globs, false);
	}

	/**
	 * Globs of environment variables' names: case-sensitive where the names are, not on
	 * Windows.
	 */
	static Globs environmentNames(List<String> globs) {
		return new Globs(globs, Platform.isWindows());
	}

	/**
	 * Whether any of the globs matches the whole name.
	 * @param name the name
	 * @return whether one matches; never where there are no globs
	 */
	public boolean matches(String name) {
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
