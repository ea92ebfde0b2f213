package dev.mcpstdio.server;

import java.time.Duration;
import java.util.List;

/**
 * When a server runs: shared or per session, when it starts, whether the application
 * needs it, and after which servers.
 *
 * @param keepAlive whether one process is shared (true) or each session gets its own
 * @param idleTimeout keep-alive only: stop when idle this long (zero for never)
 * @param startup when a keep-alive server starts
 * @param required whether the application fails to start when this server cannot
 * @param dependsOn the servers this one is started after and stopped before
 * @param initializeTimeout how long {@code initialize} may take
 */
public record ServerLifecycleSettings(boolean keepAlive, Duration idleTimeout, Startup startup, boolean required,
		List<String> dependsOn, Duration initializeTimeout) {

	public ServerLifecycleSettings {
		dependsOn = List.copyOf(dependsOn);
	}

	/**
	 * The defaults of DESIGN.md: keep-alive, never idle, eager, required, 20s initialize.
	 */
	public static ServerLifecycleSettings defaults() {
		return new ServerLifecycleSettings(true, Duration.ZERO, Startup.EAGER, true, List.of(), Duration.ofSeconds(20));
	}

}
