package dev.mcpstdio.autoconfigure;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import dev.mcpstdio.actuate.McpStdioHealthContributor;
import dev.mcpstdio.fixture.Fixtures;
import dev.mcpstdio.process.platform.ProcessTree;
import dev.mcpstdio.server.McpStdioServer;
import dev.mcpstdio.server.McpStdioServers;
import dev.mcpstdio.server.ServerDefinition;
import dev.mcpstdio.server.ServerLifecycleSettings;
import dev.mcpstdio.server.ServerState;
import dev.mcpstdio.server.Startup;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.ai.mcp.McpToolsChangedEvent;
import org.springframework.ai.tool.ToolCallback;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationListener;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A server registered in code in a running context is started, and health, metrics, the
 * tool callbacks and the events follow it; unregistered, it is stopped and all of them
 * forget it; nothing is left after the context closes. Real fixture processes.
 */
class RegistrationContextTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class, McpStdioAutoConfiguration.class,
				McpStdioMetricsAutoConfiguration.class))
		.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
		.withUserConfiguration(Events.class)
		.withPropertyValues(FixtureProperties.server("base").toArray(new String[0]));

	@Test
	void registeredServerIsFollowedByHealthMetricsCallbacksAndEventsUntilUnregistered() {
		long[] pid = new long[1];
		this.runner.run((context) -> {
			McpStdioServers servers = context.getBean(McpStdioServers.class);
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			McpStdioHealthContributor health = new McpStdioHealthContributor(servers);
			Events events = context.getBean(Events.class);
			McpStdioServer tenant = servers.register(ServerDefinition.builder(Fixtures.spec("tenant")).build());
			await().atMost(Duration.ofSeconds(30)).until(() -> tenant.state() == ServerState.RUNNING);
			pid[0] = tenant.pid().orElseThrow();
			assertThat(((HealthIndicator) health.getContributor("tenant")).health().getStatus()).isEqualTo(Status.UP);
			assertThat(meters.find("mcp.stdio.process.memory").tag("server", "tenant").gauge()).isNotNull();
			assertThat(callbacks(context.getBean(McpStdioToolCallbackProvider.class))).contains("tenant_echo",
					"base_echo");
			servers.unregister("tenant").get(30, TimeUnit.SECONDS);
			assertThat(ProcessHandle.of(pid[0]).filter(ProcessTree::isRunning)).isEmpty();
			assertThat(health.getContributor("tenant")).isNull();
			assertThat(meters.find("mcp.stdio.process.memory").tag("server", "tenant").gauge()).isNull();
			assertThat(callbacks(context.getBean(McpStdioToolCallbackProvider.class))).contains("base_echo")
				.doesNotContain("tenant_echo");
			assertThat(events.changes).containsExactly("added [tenant]", "removed [tenant]");
			assertThat(events.tools).containsExactly("tenant: 0 tools");
		});
	}

	@Test
	void registeredServerStopsInTheServersLifecyclePhaseAfterItsDependents() {
		ApplicationContextRunner runner = this.runner.withBean(LaterPhase.class);
		LaterPhase[] later = new LaterPhase[1];
		long[] pids = new long[2];
		List<String> exits = new CopyOnWriteArrayList<>();
		runner.run((context) -> {
			McpStdioServers servers = context.getBean(McpStdioServers.class);
			McpStdioServer independent = servers
				.register(ServerDefinition.builder(Fixtures.spec("independent")).build());
			McpStdioServer dependent = servers.register(ServerDefinition.builder(Fixtures.spec("dependent"))
				.lifecycle(new ServerLifecycleSettings(true, Duration.ZERO, Startup.EAGER, true, List.of("base"),
						Duration.ofSeconds(30)))
				.build());
			await().atMost(Duration.ofSeconds(30))
				.until(() -> independent.state() == ServerState.RUNNING && dependent.state() == ServerState.RUNNING);
			pids[0] = independent.pid().orElseThrow();
			pids[1] = dependent.pid().orElseThrow();
			// the base stops only once its dependent's process is gone
			ProcessHandle.of(pids[1]).orElseThrow().onExit().thenRun(() -> exits.add("dependent"));
			ProcessHandle.of(servers.server("base").pid().orElseThrow())
				.orElseThrow()
				.onExit()
				.thenRun(() -> exits.add("base"));
			later[0] = context.getBean(LaterPhase.class);
			later[0].servers = servers;
		});
		// a bean of a lower phase stops after the servers' phase: every server was
		// stopped
		assertThat(later[0].statesAtItsStop).containsEntry("independent", ServerState.STOPPED)
			.containsEntry("dependent", ServerState.STOPPED)
			.containsEntry("base", ServerState.STOPPED);
		for (long pid : pids) {
			assertThat(ProcessHandle.of(pid).filter(ProcessTree::isRunning)).isEmpty();
		}
		await().atMost(Duration.ofSeconds(10)).until(() -> exits.size() == 2);
		assertThat(exits).containsExactly("dependent", "base");
	}

	/** Stops after the servers' lifecycle phase, noting their states then. */
	static class LaterPhase implements SmartLifecycle {

		volatile McpStdioServers servers;

		final Map<String, ServerState> statesAtItsStop = new ConcurrentHashMap<>();

		private volatile boolean running;

		@Override
		public void start() {
			this.running = true;
		}

		@Override
		public void stop() {
			McpStdioServers registry = this.servers;
			if (registry != null) {
				registry.servers().forEach((server) -> this.statesAtItsStop.put(server.name(), server.state()));
			}
			this.running = false;
		}

		@Override
		public boolean isRunning() {
			return this.running;
		}

		@Override
		public int getPhase() {
			return McpStdioServerLifecycle.PHASE - 1;
		}

	}

	private static List<String> callbacks(McpStdioToolCallbackProvider provider) {
		return Arrays.stream(provider.getToolCallbacks())
			.map((callback) -> callback.getToolDefinition().name())
			.toList();
	}

	@Configuration(proxyBeanMethods = false)
	static class Events {

		final List<String> changes = new CopyOnWriteArrayList<>();

		final List<String> tools = new CopyOnWriteArrayList<>();

		@Bean
		ApplicationListener<McpStdioServersChangedEvent> serversChanged() {
			return (event) -> {
				if (!event.getAdded().isEmpty()) {
					this.changes.add("added " + event.getAdded());
				}
				if (!event.getRemoved().isEmpty()) {
					this.changes.add("removed " + event.getRemoved());
				}
			};
		}

		@Bean
		ApplicationListener<McpToolsChangedEvent> toolsChanged() {
			return (event) -> this.tools.add(event.getConnectionName() + ": " + event.getTools().size() + " tools");
		}

	}

}
