package dev.mcpstdio.actuate;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.ToIntFunction;

import dev.mcpstdio.process.ProcessFigures;
import dev.mcpstdio.server.McpStdioServer;
import dev.mcpstdio.server.McpStdioServers;
import dev.mcpstdio.server.ServerState;
import dev.mcpstdio.server.ServerStatus;
import dev.mcpstdio.transport.observation.RequestObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.jspecify.annotations.Nullable;

/**
 * Micrometer metrics of managed servers: {@code mcp.stdio.restarts} (counter),
 * {@code mcp.stdio.servers} (gauge by state), {@code mcp.stdio.process.memory},
 * {@code mcp.stdio.process.cpu} and {@code mcp.stdio.requests.waiting} (gauges by
 * server), {@code mcp.stdio.invalid.lines} (counter: stdout lines that were not
 * JSON-RPC). The timer {@code mcp.stdio.requests} is made by the observation of each
 * request (see
 * {@link dev.mcpstdio.transport.observation.McpClientObservationDocumentation}), with
 * {@link McpStdioRequestBuckets}.
 */
public class McpStdioMetrics implements MeterBinder, RequestObserver {

	private final McpStdioServers servers;

	private volatile @Nullable MeterRegistry registry;

	public McpStdioMetrics(McpStdioServers servers) {
		this.servers = servers;
		servers.addRequestObserver(this);
		servers.addServersChangedListener(this::serversChanged);
	}

	/**
	 * Servers registered, unregistered or replaced at run time get their meters, or lose
	 * them.
	 */
	private void serversChanged(List<McpStdioServer> added, List<McpStdioServer> removed) {
		MeterRegistry target = this.registry;
		if (target == null) {
			return;
		}
		// first, as a server replaced by a new definition is in both
		for (McpStdioServer server : removed) {
			target.getMeters()
				.stream()
				.filter((meter) -> server.name().equals(meter.getId().getTag("server")))
				.toList()
				.forEach(target::remove);
		}
		added.forEach((server) -> bindServer(target, server));
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		this.registry = registry;
		for (ServerState state : ServerState.values()) {
			Gauge.builder("mcp.stdio.servers", this.servers, (all) -> count(all, state))
				.description("Managed MCP servers in each state")
				.tag("state", state.name().toLowerCase(Locale.ROOT))
				.register(registry);
		}
		this.servers.servers().forEach((server) -> bindServer(registry, server));
	}

	private static void bindServer(MeterRegistry registry, McpStdioServer server) {
		FunctionCounter.builder("mcp.stdio.restarts", server, (s) -> s.status().restarts())
			.description("Restarts of a managed MCP server")
			.tag("server", server.name())
			.register(registry);
		Gauge.builder("mcp.stdio.process.memory", server, McpStdioMetrics::residentBytes)
			.description("Resident memory of the server's process")
			.baseUnit("bytes")
			.tag("server", server.name())
			.register(registry);
		Gauge.builder("mcp.stdio.process.cpu", server, McpStdioMetrics::cpuSeconds)
			.description("CPU time used by the server's current process")
			.baseUnit("seconds")
			.tag("server", server.name())
			.register(registry);
		Gauge.builder("mcp.stdio.requests.waiting", server, McpStdioServer::waitingRequests)
			.description("Requests waiting for their turn under max-concurrent-requests")
			.tag("server", server.name())
			.register(registry);
		if (!server.definition().keepAlive()) {
			bindSessions(registry, server);
		}
	}

	private static void bindSessions(MeterRegistry registry, McpStdioServer server) {
		sessionGauge(registry, server, "open", (s) -> s.status().sessions());
		sessionGauge(registry, server, "idle", (s) -> pool(s).map(ServerStatus.Pool::idle).orElse(0));
		sessionGauge(registry, server, "stopping", (s) -> pool(s).map(ServerStatus.Pool::stopping).orElse(0));
		FunctionCounter
			.builder("mcp.stdio.sessions.waits", server, (s) -> pool(s).map(ServerStatus.Pool::waits).orElse(0L))
			.description("Sessions that waited for a free slot under max-sessions")
			.tag("server", server.name())
			.register(registry);
		FunctionCounter
			.builder("mcp.stdio.sessions.refused", server, (s) -> pool(s).map(ServerStatus.Pool::refusals).orElse(0L))
			.description("Sessions refused after waiting request-timeout for a slot under max-sessions")
			.tag("server", server.name())
			.register(registry);
	}

	private static void sessionGauge(MeterRegistry registry, McpStdioServer server, String state,
			ToIntFunction<McpStdioServer> count) {
		Gauge.builder("mcp.stdio.sessions", server, (s) -> count.applyAsInt(s))
			.description("Open sessions, idle pooled processes, and processes of closed sessions still stopping,"
					+ " of a server with keep-alive false")
			.tag("server", server.name())
			.tag("state", state)
			.register(registry);
	}

	private static Optional<ServerStatus.Pool> pool(McpStdioServer server) {
		return Optional.ofNullable(server.status().pool());
	}

	@Override
	public void requestCompleted(String server, String method, Duration duration, Outcome outcome) {
		// the timer mcp.stdio.requests is the requests' observation's
	}

	@Override
	public void invalidLine(String server) {
		MeterRegistry target = this.registry;
		if (target != null) {
			Counter.builder("mcp.stdio.invalid.lines")
				.description("Lines a managed MCP server wrote to stdout that were not JSON-RPC")
				.tag("server", server)
				.register(target)
				.increment();
		}
	}

	private static double count(McpStdioServers servers, ServerState state) {
		return servers.servers().stream().filter((server) -> server.state() == state).count();
	}

	private static double residentBytes(McpStdioServer server) {
		return figures(server).map((figures) -> (double) figures.residentBytes())
			.filter((bytes) -> bytes >= 0)
			.orElse(Double.NaN);
	}

	private static double cpuSeconds(McpStdioServer server) {
		return figures(server).map((figures) -> figures.cpuTime().toNanos() / 1e9).orElse(Double.NaN);
	}

	private static java.util.Optional<ProcessFigures> figures(McpStdioServer server) {
		return server.pid().isPresent() ? ProcessFigures.of(server.pid().getAsLong()) : java.util.Optional.empty();
	}

}
