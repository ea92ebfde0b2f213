package dev.mcpstdio.transport;

import java.time.Duration;

/**
 * How progress bears on a request's timeout.
 *
 * @param resetsTimeout whether each progress notification for a request restarts its
 * timeout (and the starter asks for progress on each tools/call that did not)
 * @param maxRequestTimeout how long a request may take at most, whatever its progress;
 * zero for no cap
 */
public record ProgressTimeouts(boolean resetsTimeout, Duration maxRequestTimeout) {

	/** Progress resets the timeout, up to 10 minutes. */
	public static final ProgressTimeouts DEFAULTS = new ProgressTimeouts(true, Duration.ofMinutes(10));

	public ProgressTimeouts {
		if (maxRequestTimeout.isNegative()) {
			throw new IllegalArgumentException(
					"max-request-timeout must not be negative, but was " + maxRequestTimeout);
		}
	}

}
