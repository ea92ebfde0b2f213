package dev.mcpstdio.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import dev.mcpstdio.server.McpStdioServers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.cloud.context.environment.EnvironmentChangeEvent;
import org.springframework.core.env.MapPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Spring Cloud's refresh: an {@link EnvironmentChangeEvent} naming the servers' keys
 * reconciles the servers with the environment as it is now, on real fixtures.
 */
@ExtendWith(OutputCaptureExtension.class)
class SpringCloudRefreshTests {

	@Test
	void environmentChangeOfAServerRestartsItAndLeavesTheOthersRunning(CapturedOutput output) {
		Map<String, Object> properties = new LinkedHashMap<>();
		FixtureProperties.server("steady").forEach((property) -> put(properties, property));
		FixtureProperties.server("moving").forEach((property) -> put(properties, property));
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(McpStdioAutoConfiguration.class))
			.withInitializer((context) -> context.getEnvironment()
				.getPropertySources()
				.addFirst(new MapPropertySource("refreshable", properties)))
			.run((context) -> {
				McpStdioServers servers = context.getBean(McpStdioServers.class);
				long steady = ConfigFileReloadTests.pid(servers, "steady");
				long moving = ConfigFileReloadTests.pid(servers, "moving");
				// a key that is not the servers' is left alone
				context.publishEvent(new EnvironmentChangeEvent(context, Set.of("spring.application.name")));
				properties.put("mcp.stdio.servers.moving.args[0]", "--record-calls");
				context.publishEvent(new EnvironmentChangeEvent(context, Set.of("mcp.stdio.servers.moving.args[0]")));
				await().atMost(Duration.ofSeconds(60))
					.until(() -> output.getOut().contains("MCP servers reloaded after a change of the environment"));
				assertThat(output.getOut()).containsOnlyOnce("MCP servers reloaded")
					.contains("(Spring Cloud refresh) in")
					.contains("changed [moving], 1 unchanged");
				assertThat(ConfigFileReloadTests.pid(servers, "steady")).isEqualTo(steady);
				assertThat(ConfigFileReloadTests.pid(servers, "moving")).isNotEqualTo(moving);
				assertThat(servers.server("moving").definition().processSpec().command()).contains("--record-calls");
			});
	}

	@Test
	void serverKeysAreThoseTheServersAreBoundFrom() {
		assertThat(Set.of("mcp.stdio.servers.a.command", "mcp.stdio.defaults.request-timeout",
				"MCP_STDIO_SERVERS_A_COMMAND", "mcp.stdio.config-file", "mcp.stdio.inputs.token",
				"mcp.stdio.servers[a].args[0]"))
			.allMatch(McpStdioRefreshListener::isServerKey);
		assertThat(Set.of("mcp.stdio.enabled", "mcp.stdio.config-file-reload", "mcp.stdio.tool-callbacks.enabled",
				"spring.application.name", "mcp.stdiox.servers.a"))
			.noneMatch(McpStdioRefreshListener::isServerKey);
	}

	private static void put(Map<String, Object> properties, String property) {
		int equals = property.indexOf('=');
		properties.put(property.substring(0, equals), property.substring(equals + 1));
	}

}
