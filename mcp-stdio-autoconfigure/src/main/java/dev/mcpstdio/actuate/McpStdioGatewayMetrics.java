package dev.mcpstdio.actuate;

import java.util.Locale;

import dev.mcpstdio.gateway.GatewayObserver;
import dev.mcpstdio.gateway.McpStdioGateway;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.jspecify.annotations.Nullable;

/**
 * Micrometer metrics of the gateway: {@code mcp.stdio.gateway.sessions} and
 * {@code mcp.stdio.gateway.processes} (gauges by server),
 * {@code mcp.stdio.gateway.requests} (counter by server, method and outcome) and
 * {@code mcp.stdio.gateway.events.replayed} (counter by server).
 */
public class McpStdioGatewayMetrics implements MeterBinder, GatewayObserver {

	private final McpStdioGateway gateway;

	private volatile @Nullable MeterRegistry registry;

	public McpStdioGatewayMetrics(McpStdioGateway gateway) {
		this.gateway = gateway;
		gateway.addObserver(this);
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		this.registry = registry;
		for (String server : this.gateway.sessionsByServer().keySet()) {
			Gauge
				.builder("mcp.stdio.gateway.sessions", this.gateway,
						(gateway) -> gateway.sessionsByServer().getOrDefault(server, 0))
				.description("Sessions open through the gateway")
				.tag("server", server)
				.register(registry);
			Gauge
				.builder("mcp.stdio.gateway.processes", this.gateway,
						(gateway) -> gateway.processesByServer().getOrDefault(server, 0))
				.description(
						"Processes serving the gateway's open sessions: their own, their callers' or the shared one")
				.tag("server", server)
				.register(registry);
		}
	}

	@Override
	public void request(String server, String method, Outcome outcome) {
		MeterRegistry target = this.registry;
		if (target != null) {
			Counter.builder("mcp.stdio.gateway.requests")
				.description("HTTP requests to the gateway, by outcome")
				.tag("server", server)
				.tag("method", method)
				.tag("outcome", outcome.name().toLowerCase(Locale.ROOT))
				.register(target)
				.increment();
		}
	}

	@Override
	public void replayed(String server, int events) {
		MeterRegistry target = this.registry;
		if (target != null) {
			Counter.builder("mcp.stdio.gateway.events.replayed")
				.description("SSE events replayed to clients that resumed a stream")
				.tag("server", server)
				.register(target)
				.increment(events);
		}
	}

}
