package dev.mcpstdio.actuate;

import java.util.stream.Stream;

import dev.mcpstdio.server.McpStdioServer;
import dev.mcpstdio.server.McpStdioServers;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthContributor;

/**
 * The {@code mcpStdio} health component: one child per server, each at
 * {@code /actuator/health/mcpStdio/{name}}, read from the registry at each check. Its
 * status is aggregated by the health endpoint from its children; a
 * {@code required: false} server that is down reports a status the aggregation leaves out
 * (see {@link McpStdioServerHealthIndicator#OPTIONAL_DOWN}), so it never takes this
 * component, the application's health or the readiness group down.
 */
public final class McpStdioHealthContributor implements CompositeHealthContributor {

	private final McpStdioServers servers;

	public McpStdioHealthContributor(McpStdioServers servers) {
		this.servers = servers;
	}

	@Override
	public @Nullable HealthContributor getContributor(String name) {
		return this.servers.servers()
			.stream()
			.filter((server) -> server.name().equals(name))
			.findFirst()
			.map(McpStdioHealthContributor::indicator)
			.orElse(null);
	}

	@Override
	public Stream<Entry> stream() {
		return this.servers.servers().stream().map((server) -> new Entry(server.name(), indicator(server)));
	}

	private static HealthContributor indicator(McpStdioServer server) {
		return new McpStdioServerHealthIndicator(server);
	}

}
