package dev.mcpstdio.server;

import java.time.Duration;
import java.util.List;

import dev.mcpstdio.process.ProcessSpec;
import dev.mcpstdio.transport.StdioTransportOptions;

/**
 * Everything that defines one managed server, as configured.
 *
 * @param name the server's name
 * @param processSpec what to launch
 * @param transportOptions framing, stderr and the stop ladder
 * @param keepAlive whether one process is shared (true) or each session gets its own
 * @param idleTimeout keep-alive only: stop when idle this long (zero for never)
 * @param startup when a keep-alive server starts
 * @param required whether the application fails to start when this server cannot
 * @param dependsOn the servers this one is started after and stopped before
 * @param initializeTimeout how long {@code initialize} may take
 * @param requestTimeout how long any other request may take
 * @param restart how the server is restarted
 * @param health how its health is checked
 */
public record ServerDefinition(String name, ProcessSpec processSpec, StdioTransportOptions transportOptions,
		boolean keepAlive, Duration idleTimeout, Startup startup, boolean required, List<String> dependsOn,
		Duration initializeTimeout, Duration requestTimeout, RestartSettings restart, HealthSettings health) {

	public ServerDefinition {
		dependsOn = List.copyOf(dependsOn);
	}

	/** A definition with the defaults of DESIGN.md for everything but what to launch. */
	public static ServerDefinition of(ProcessSpec spec) {
		return new ServerDefinition(spec.name(), spec, StdioTransportOptions.defaults(), true, Duration.ZERO,
				Startup.EAGER, true, List.of(), Duration.ofSeconds(20), Duration.ofSeconds(30),
				RestartSettings.defaults(), HealthSettings.defaults());
	}

	public ServerDefinition withKeepAlive(boolean keepAlive) {
		return new ServerDefinition(this.name, this.processSpec, this.transportOptions, keepAlive, this.idleTimeout,
				this.startup, this.required, this.dependsOn, this.initializeTimeout, this.requestTimeout, this.restart,
				this.health);
	}

}
