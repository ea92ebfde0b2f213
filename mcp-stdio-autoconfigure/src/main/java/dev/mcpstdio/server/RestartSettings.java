package dev.mcpstdio.server;

import java.time.Duration;

/**
 * How a keep-alive server is restarted.
 *
 * @param policy when to restart
 * @param maxRestarts how many restarts are allowed within {@code window}
 * @param window the window over which restarts are counted
 * @param initialBackoff the delay before the first restart
 * @param maxBackoff the longest delay between restarts
 */
public record RestartSettings(RestartPolicy policy, int maxRestarts, Duration window, Duration initialBackoff,
		Duration maxBackoff) {

	public static RestartSettings defaults() {
		return new RestartSettings(RestartPolicy.ON_FAILURE, 5, Duration.ofMinutes(1), Duration.ofMillis(500),
				Duration.ofSeconds(30));
	}

}
