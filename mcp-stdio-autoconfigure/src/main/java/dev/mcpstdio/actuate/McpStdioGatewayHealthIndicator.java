package dev.mcpstdio.actuate;

import java.util.Map;

import dev.mcpstdio.gateway.McpStdioGateway;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * The gateway's health: UP while it takes sessions, OUT_OF_SERVICE once it drains or
 * stops; its details are the instance, the sessions and processes by server, and the
 * bound on sessions.
 */
public class McpStdioGatewayHealthIndicator extends AbstractHealthIndicator {

	private final McpStdioGateway gateway;

	public McpStdioGatewayHealthIndicator(McpStdioGateway gateway) {
		super("MCP gateway health check failed");
		this.gateway = gateway;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		Map<String, Integer> sessions = this.gateway.sessionsByServer();
		(this.gateway.isRunning() && !this.gateway.isDraining() ? builder.up() : builder.outOfService())
			.withDetail("instanceId", this.gateway.instanceId())
			.withDetail("draining", this.gateway.isDraining())
			.withDetail("requestsInFlight", this.gateway.requestsInFlight())
			.withDetail("sessions", sessions.values().stream().mapToInt(Integer::intValue).sum())
			.withDetail("maxSessions", this.gateway.maxSessions())
			.withDetail("sessionsByServer", sessions)
			.withDetail("processesByServer", this.gateway.processesByServer());
	}

}
