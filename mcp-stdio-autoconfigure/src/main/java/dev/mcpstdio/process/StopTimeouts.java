package dev.mcpstdio.process;

import java.time.Duration;

/**
 * How long each step of the stop ladder waits before the next, harder one.
 *
 * @param eof how long to wait for the child to exit after its stdin is closed
 * @param term how long to wait for the process tree to exit after SIGTERM
 */
public record StopTimeouts(Duration eof, Duration term) {

	/** The bound the ladder adds to the timeouts for SIGKILL and reaping. */
	public static final Duration KILL_GRACE = Duration.ofSeconds(1);

	public StopTimeouts {
		requirePositive("eof-timeout", eof);
		requirePositive("term-timeout", term);
	}

	/** The longest a stop can take. */
	public Duration bound() {
		return this.eof.plus(this.term).plus(KILL_GRACE);
	}

	private static void requirePositive(String property, Duration value) {
		if (value.isNegative() || value.isZero()) {
			throw new IllegalArgumentException("shutdown." + property + " must be positive, but was " + value);
		}
	}

}
