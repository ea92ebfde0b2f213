package dev.mcpstdio.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.mcpstdio.process.InheritEnv;
import dev.mcpstdio.process.container.ContainerEngine;
import dev.mcpstdio.process.container.ContainerSettings;
import dev.mcpstdio.process.sandbox.Confinement;
import dev.mcpstdio.process.sandbox.ResourceLimits;
import dev.mcpstdio.server.HealthSettings;
import dev.mcpstdio.server.RestartSettings;
import dev.mcpstdio.server.ServerDefinition;
import dev.mcpstdio.server.ServerLifecycleSettings;
import dev.mcpstdio.transport.StdioTransportOptions;
import org.junit.jupiter.api.Test;

import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class ServerDefinitionsTests {

	@Test
	void defaultsOfThePropertiesAgreeWithTheDefaultsOfTheDefinitions() {
		MockEnvironment environment = new MockEnvironment().withProperty("mcp.stdio.servers.plain.command", "sh");
		McpStdioProperties properties = McpStdioConfiguration.bind(environment, new DefaultResourceLoader());
		List<ServerDefinition> definitions = new ServerDefinitions(System.getenv()).create(properties);
		assertThat(definitions).singleElement().satisfies((definition) -> {
			assertThat(definition.transportOptions()).isEqualTo(StdioTransportOptions.defaults());
			assertThat(definition.lifecycle()).isEqualTo(ServerLifecycleSettings.defaults());
			assertThat(definition.restart()).isEqualTo(RestartSettings.defaults());
			assertThat(definition.health()).isEqualTo(HealthSettings.defaults());
			assertThat(definition.processSpec().inheritEnv()).isEqualTo(InheritEnv.MINIMAL);
			assertThat(definition.processSpec().passEnv()).isEmpty();
			assertThat(definition.processSpec().env()).isEqualTo(Map.of());
			assertThat(definition.processSpec().container()).isEqualTo(ContainerSettings.DEFAULTS);
			assertThat(definition.processSpec().confinement()).isEqualTo(Confinement.DEFAULTS);
		});
	}

	@Test
	void confinementFromDefaultsReachesEveryServerAndAServerAddsItsOwn() {
		MockEnvironment environment = new MockEnvironment().withProperty("mcp.stdio.servers.a.command", "sh")
			.withProperty("mcp.stdio.servers.b.command", "sh")
			.withProperty("mcp.stdio.defaults.sandbox.enabled", "true")
			.withProperty("mcp.stdio.defaults.sandbox.filesystem.deny-read[0]", "~/.ssh")
			.withProperty("mcp.stdio.defaults.limits.memory", "256MB")
			.withProperty("mcp.stdio.defaults.no-new-privileges", "false")
			.withProperty("mcp.stdio.servers.b.sandbox.network.allowed-domains[0]", "*.github.com")
			.withProperty("mcp.stdio.servers.b.limits.cpu-time", "10m");
		McpStdioProperties properties = McpStdioConfiguration.bind(environment, new DefaultResourceLoader());
		List<ServerDefinition> definitions = new ServerDefinitions(System.getenv()).create(properties);
		Map<String, Confinement> confinements = new java.util.HashMap<>();
		definitions
			.forEach((definition) -> confinements.put(definition.name(), definition.processSpec().confinement()));
		Confinement a = confinements.get("a");
		Confinement b = confinements.get("b");
		assertThat(a.sandbox().enabled()).isTrue();
		assertThat(a.sandbox().denyRead()).containsExactly("~/.ssh");
		assertThat(a.sandbox().allowedDomains()).isEmpty();
		assertThat(a.limits()).isEqualTo(new ResourceLimits(256L << 20, Duration.ZERO, 0, 0, 0));
		assertThat(a.noNewPrivileges()).isFalse();
		assertThat(b.sandbox().denyRead()).containsExactly("~/.ssh");
		assertThat(b.sandbox().allowedDomains()).containsExactly("*.github.com");
		assertThat(b.limits()).isEqualTo(new ResourceLimits(256L << 20, Duration.ofMinutes(10), 0, 0, 0));
	}

	@Test
	void containerPropertiesReachTheProcessSpec() {
		MockEnvironment environment = new MockEnvironment().withProperty("mcp.stdio.servers.boxed.command", "sh")
			.withProperty("mcp.stdio.servers.boxed.container.engine", "docker")
			.withProperty("mcp.stdio.servers.boxed.container.init", "false")
			.withProperty("mcp.stdio.servers.boxed.container.remove", "false");
		McpStdioProperties properties = McpStdioConfiguration.bind(environment, new DefaultResourceLoader());
		List<ServerDefinition> definitions = new ServerDefinitions(System.getenv()).create(properties);
		assertThat(definitions).singleElement()
			.satisfies((definition) -> assertThat(definition.processSpec().container())
				.isEqualTo(new ContainerSettings(ContainerEngine.DOCKER, false, false)));
	}

	@Test
	void javaMainClassInANativeImageFailsNamingTheServerAndTheWayOut() {
		MockEnvironment environment = new MockEnvironment().withProperty("mcp.stdio.servers.own.java.main-class",
				"com.example.Server");
		McpStdioProperties properties = McpStdioConfiguration.bind(environment, new DefaultResourceLoader());
		assertThat(new ServerDefinitions(System.getenv(), List.of(), false).create(properties)).hasSize(1);
		assertThatExceptionOfType(McpStdioConfigurationException.class)
			.isThrownBy(() -> new ServerDefinitions(System.getenv(), List.of(), true).create(properties))
			.satisfies((ex) -> {
				assertThat(ex.getServerName()).isEqualTo("own");
				assertThat(ex.getProperty()).isEqualTo("mcp.stdio.servers.own.java.main-class");
				assertThat(ex.getMessage()).contains("native image", "com.example.Server");
				assertThat(ex.getAction()).contains("mcp.stdio.servers.own.command", "mcp.stdio.servers.own.java.jar");
			});
	}

}
