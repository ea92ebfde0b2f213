package dev.mcpstdio.autoconfigure;

import java.time.Clock;

import dev.mcpstdio.process.ProcessLauncher;
import dev.mcpstdio.server.McpStdioServers;
import io.modelcontextprotocol.json.McpJsonDefaults;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.ai.mcp.SyncMcpToolCallbackProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;

/**
 * Auto-configuration of managed MCP STDIO servers from {@code mcp.stdio.*}: the
 * {@link McpStdioServers} registry, one lifecycle bean per server, and the startup
 * barrier. Nothing is launched while beans are created: processes start with the
 * context's lifecycle.
 */
@AutoConfiguration
@ConditionalOnProperty(prefix = McpStdioProperties.PREFIX, name = "enabled", havingValue = "true",
		matchIfMissing = true)
@EnableConfigurationProperties(McpStdioProperties.class)
public final class McpStdioAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ProcessLauncher mcpStdioProcessLauncher() {
		return ProcessLauncher.shared();
	}

	@Bean
	@ConditionalOnMissingBean
	McpStdioServers mcpStdioServers(Environment environment, ResourceLoader resourceLoader, ProcessLauncher launcher) {
		McpStdioProperties properties = McpStdioConfiguration.bind(environment, resourceLoader);
		launcher.reapOrphans(); // what an application killed outright left behind
		return new McpStdioServers(new ServerDefinitions(System.getenv()).create(properties), launcher,
				McpJsonDefaults.getMapper(), Clock.systemUTC());
	}

	@Bean
	static McpStdioLifecycleRegistrar mcpStdioLifecycleRegistrar() {
		return new McpStdioLifecycleRegistrar();
	}

	@Bean
	McpStdioStartupBarrier mcpStdioStartupBarrier(McpStdioServers servers) {
		return new McpStdioStartupBarrier(servers);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(SyncMcpToolCallbackProvider.class)
	static class SpringAiToolsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		McpStdioToolCallbackProvider mcpStdioToolCallbacks(McpStdioServers servers) {
			return new McpStdioToolCallbackProvider(servers);
		}

	}

}
