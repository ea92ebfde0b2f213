package dev.mcpstdio.server;

import java.time.Duration;

/**
 * How a server's health is checked.
 *
 * @param pingInterval how often a running server is pinged, zero for never
 * @param pingTimeout how long a ping may take
 * @param failureThreshold how many failed pings in a row make it DOWN
 */
public record HealthSettings(Duration pingInterval, Duration pingTimeout, int failureThreshold) {

	public static HealthSettings defaults() {
		return new HealthSettings(Duration.ofSeconds(30), Duration.ofSeconds(5), 3);
	}

}
