package dev.mcpstdio.actuate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.mcpstdio.server.McpStdioServer;
import dev.mcpstdio.server.McpStdioServers;

import org.springframework.boot.health.actuate.endpoint.StatusAggregator;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/**
 * The {@code mcpStdio} health component: one detail per server with its own status, and a
 * status aggregated over the required servers only, so that a server with
 * {@code required: false} shows DOWN without taking the application (or the readiness
 * group) down.
 */
public class McpStdioHealthIndicator extends AbstractHealthIndicator {

	private final List<McpStdioServer> servers;

	private final StatusAggregator aggregator;

	public McpStdioHealthIndicator(McpStdioServers servers) {
		this(servers, StatusAggregator.getDefault());
	}

	public McpStdioHealthIndicator(McpStdioServers servers, StatusAggregator aggregator) {
		super("MCP servers health check failed");
		this.servers = new ArrayList<>(servers.servers());
		this.aggregator = aggregator;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		Set<Status> required = new LinkedHashSet<>();
		for (McpStdioServer server : this.servers) {
			Health health = new McpStdioServerHealthIndicator(server).health();
			Map<String, Object> details = new LinkedHashMap<>();
			details.put("status", health.getStatus().getCode());
			details.put("required", server.definition().required());
			details.putAll(health.getDetails());
			builder.withDetail(server.name(), details);
			if (server.definition().required()) {
				required.add(health.getStatus());
			}
		}
		builder.status(required.isEmpty() ? Status.UP : this.aggregator.getAggregateStatus(required));
	}

}
