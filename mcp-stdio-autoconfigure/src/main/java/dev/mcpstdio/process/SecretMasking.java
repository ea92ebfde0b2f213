package dev.mcpstdio.process;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Masks the arguments of a command line that look like secrets, such as
 * {@code --token=abc} or {@code --api-key abc}, before they are shown anywhere.
 */
public final class SecretMasking {

	/** What a masked value is replaced with. */
	public static final String MASK = "******";

	private static final Pattern SECRET_NAME = Pattern
		.compile("(?i).*(token|secret|password|passwd|pwd|api[-_]?key|apikey|credential|auth|private[-_]?key).*");

	private SecretMasking() {
	}

	/**
	 * Returns the command line with secret-looking values masked.
	 * @param command the executable and its arguments
	 * @return a copy safe to log
	 */
	public static List<String> maskCommand(List<String> command) {
		List<String> masked = new ArrayList<>(command.size());
		boolean maskNext = false;
		for (String arg : command) {
			if (maskNext) {
				masked.add(MASK);
				maskNext = false;
				continue;
			}
			int eq = arg.indexOf('=');
			if (arg.startsWith("-") && eq > 0 && isSecretName(arg.substring(0, eq))) {
				masked.add(arg.substring(0, eq + 1) + MASK);
			}
			else if (arg.startsWith("-") && eq < 0 && isSecretName(arg)) {
				masked.add(arg);
				maskNext = true;
			}
			else {
				masked.add(arg);
			}
		}
		return masked;
	}

	/**
	 * Returns the values that {@link #maskCommand(List)} masks.
	 * @param command the executable and its arguments
	 * @return the secret values found in it
	 */
	public static List<String> secretArguments(List<String> command) {
		List<String> masked = maskCommand(command);
		List<String> secrets = new ArrayList<>();
		for (int i = 0; i < command.size(); i++) {
			String original = command.get(i);
			String shown = masked.get(i);
			if (!original.equals(shown)) {
				secrets.add(shown.equals(MASK) ? original : original.substring(original.indexOf('=') + 1));
			}
		}
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

}
