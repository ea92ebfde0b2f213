package dev.mcpstdio.process.sandbox;

import java.util.Objects;

/**
 * A server's confinement cannot be had: its message names the server, what is missing and
 * the fix.
 */
public class ConfinementException extends RuntimeException {

	ConfinementException(String message) {
		super(message);
	}

	ConfinementException(String message, Throwable cause) {
		super(message, cause);
	}

	@Override
	public String getMessage() {
		return Objects.requireNonNull(super.getMessage());
	}

}
