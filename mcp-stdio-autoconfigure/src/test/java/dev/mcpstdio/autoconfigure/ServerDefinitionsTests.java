package dev.mcpstdio.autoconfigure;

import java.util.List;
import java.util.Map;

import dev.mcpstdio.process.InheritEnv;
import dev.mcpstdio.process.container.ContainerEngine;
import dev.mcpstdio.process.container.ContainerSettings;
import dev.mcpstdio.server.HealthSettings;
import dev.mcpstdio.server.RestartSettings;
import dev.mcpstdio.server.ServerDefinition;
import dev.mcpstdio.server.ServerLifecycleSettings;
import dev.mcpstdio.transport.StdioTransportOptions;
import org.junit.jupiter.api.Test;

import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

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
		});
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

}
