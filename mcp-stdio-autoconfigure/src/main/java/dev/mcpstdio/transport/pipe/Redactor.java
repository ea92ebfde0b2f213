package dev.mcpstdio.transport.pipe;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;

import dev.mcpstdio.process.SecretMasking;

/**
 * Replaces known secret values (the server's env values and secret-looking arguments) in
 * text the child wrote, before it is logged or put into an error.
 */
public final class Redactor {

	/** Values shorter than this are too likely to occur by chance to be redacted. */
	private static final int MIN_LENGTH = 4;

	private final List<String> secrets;

	public Redactor(Collection<String> secrets) {
		this.secrets = secrets.stream()
			.filter((secret) -> secret.length() >= MIN_LENGTH)
			.distinct()
			.sorted(Comparator.comparingInt(String::length).reversed())
			.toList();
	}

	public String redact(String text) {
		String result = text;
		for (String secret : this.secrets) {
			if (result.contains(secret)) {
				result = result.replace(secret, SecretMasking.MASK);
			}
		}
		return result;
	}

}
