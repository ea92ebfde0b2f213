package dev.mcpstdio.autoconfigure;

import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Logging defaults, below every other property source so that a user's
 * {@code logging.level.*} wins: the MCP SDK's line for each initialize (the server's
 * capabilities and its whole instructions, at INFO) goes to WARN; the starter logs one
 * line per server start instead.
 */
class McpStdioLoggingDefaults implements EnvironmentPostProcessor {

	static final String NAME = "mcpStdioLoggingDefaults";

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		environment.getPropertySources()
			.addLast(new MapPropertySource(NAME,
					Map.of("logging.level.io.modelcontextprotocol.client.LifecycleInitializer", "warn")));
	}

}
