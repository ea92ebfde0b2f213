package dev.mcpstdio.process;

import java.util.List;
import java.util.Locale;

/**
 * Which of the application's environment variables a server's process inherits, besides
 * its own {@code env} and the variables {@code pass-env} names.
 */
public enum InheritEnv {

	/**
	 * The variables the official MCP SDKs pass: PATH, HOME, USER, LOGNAME, SHELL, TERM,
	 * TMPDIR, LANG, LC_*, TZ, the proxy variables, and Windows' own (APPDATA, SYSTEMROOT,
	 * TEMP, USERPROFILE, PATHEXT, ...).
	 */
	MINIMAL(List.of("PATH", "HOME", "USER", "LOGNAME", "SHELL", "TERM", "TMPDIR", "LANG", "LC_*", "TZ", "HTTP_PROXY",
			"HTTPS_PROXY", "NO_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "no_proxy", "all_proxy", "APPDATA",
			"HOMEDRIVE", "HOMEPATH", "LOCALAPPDATA", "PROCESSOR_ARCHITECTURE", "PROGRAMFILES", "SYSTEMDRIVE",
			"SYSTEMROOT", "TEMP", "USERNAME", "USERPROFILE", "PATHEXT", "COMSPEC")),

	/** The whole environment of the application. */
	ALL(List.of("*")),

	/** None of it. */
	NONE(List.of());

	private final Globs names;

	InheritEnv(List<String> names) {
		this.names = Globs.environmentNames(names);
	}

	/**
	 * Whether a variable of the application reaches the server's process.
	 * @param name the variable's name
	 * @return whether it is inherited
	 */
	public boolean inherits(String name) {
		return this.names.matches(name);
	}

	/**
	 * Reads a property value: {@code minimal}, {@code all} or {@code none}, and
	 * {@code true} / {@code false} as {@code all} / {@code none}.
	 * @param value the value, in any case
	 * @return the setting
	 * @throws IllegalArgumentException naming the values it takes
	 */
	public static InheritEnv of(String value) {
		return switch (value.trim().toLowerCase(Locale.ROOT)) {
			case "minimal" -> MINIMAL;
			case "all", "true" -> ALL;
			case "none", "false" -> NONE;
			default -> throw new IllegalArgumentException(
					"'" + value + "' is not an inherit-env setting: use minimal, all or none (true and false read as"
							+ " all and none)");
		};
	}

}
