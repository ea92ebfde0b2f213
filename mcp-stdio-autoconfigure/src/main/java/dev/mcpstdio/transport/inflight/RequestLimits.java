package dev.mcpstdio.transport.inflight;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * How long a request may wait for its answer.
 *
 * @param timeout how long it may wait, zero for ever; progress may restart it
 * @param timeoutName the property and value of that timeout where not the server's
 * request-timeout ({@code tools.request-timeouts.slow PT2M})
 * @param cap how long it may wait at most whatever its progress, zero for no cap
 * @param capName the property and value of the cap ({@code max-request-timeout PT10M})
 */
public record RequestLimits(Duration timeout, @Nullable String timeoutName, Duration cap, @Nullable String capName) {

	/** A timeout of the server's request-timeout and no cap. */
	public static RequestLimits of(Duration timeout) {
		return new RequestLimits(timeout, null, Duration.ZERO, null);
	}

}
