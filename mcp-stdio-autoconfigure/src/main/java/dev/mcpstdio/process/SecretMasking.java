package dev.mcpstdio.process;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * Masks the arguments of a command line that look like secrets before they are shown
 * anywhere: the value of {@code --token=abc}, {@code --api-key abc},
 * {@code GITHUB_TOKEN=abc} (as in {@code -e GITHUB_TOKEN=abc}), {@code --header ...} /
 * {@code -H ...}, and the credentials of {@code Bearer abc} or {@code Basic abc}.
 */
public final class SecretMasking {

	/** What a masked value is replaced with. */
	public static final String MASK = "******";

	private static final Pattern SECRET_NAME = Pattern
		.compile("(?i).*(token|secret|password|passwd|pwd|api[-_]?key|apikey|credential|auth|private[-_]?key).*");

	/** Options whose value is a whole HTTP header, credentials included. */
	private static final Set<String> HEADER_OPTIONS = Set.of("--header", "-H");

	private static final Pattern SCHEME_CREDENTIALS = Pattern.compile("(?i)\\b(Bearer|Basic|Token)\\s+(\\S+)");

	private SecretMasking() {
	}

	/**
	 * Returns the command line with secret-looking values masked.
	 * @param command the executable and its arguments
	 * @return a copy safe to log
	 */
	public static List<String> maskCommand(List<String> command) {
		List<String> masked = new ArrayList<>(command.size());
		analyze(command, (shown, secret) -> masked.add(shown));
		return masked;
	}

	/**
	 * Returns the values that {@link #maskCommand(List)} masks.
	 * @param command the executable and its arguments
	 * @return the secret values found in it
	 */
	public static List<String> secretArguments(List<String> command) {
		List<String> secrets = new ArrayList<>();
		analyze(command, (shown, secret) -> {
			if (secret != null) {
				secrets.add(secret);
			}
		});
		return secrets;
	}

	/**
	 * Whether an option or variable name names a secret.
	 * @param name the name, such as {@code --api-key} or {@code GITHUB_TOKEN}
	 * @return whether its value must be masked
	 */
	public static boolean isSecretName(String name) {
		return SECRET_NAME.matcher(name.toLowerCase(Locale.ROOT)).matches();
	}

	private static void analyze(List<String> command, Sink sink) {
		boolean maskNext = false;
		for (String arg : command) {
			int eq = arg.indexOf('=');
			Matcher credentials = SCHEME_CREDENTIALS.matcher(arg);
			if (maskNext) {
				sink.accept(MASK, arg);
				maskNext = false;
			}
			else if (eq > 0 && isSecretName(arg.substring(0, eq))) {
				sink.accept(arg.substring(0, eq + 1) + MASK, arg.substring(eq + 1));
			}
			else if (arg.startsWith("-") && eq < 0 && (isSecretName(arg) || HEADER_OPTIONS.contains(arg))) {
				sink.accept(arg, null);
				maskNext = true;
			}
			else if (credentials.find()) {
				sink.accept(arg.substring(0, credentials.start(2)) + MASK + arg.substring(credentials.end(2)),
						credentials.group(2));
			}
			else {
				sink.accept(arg, null);
			}
		}
	}

	@FunctionalInterface
	private interface Sink {

		void accept(String shown, @Nullable String secret);

	}

}
