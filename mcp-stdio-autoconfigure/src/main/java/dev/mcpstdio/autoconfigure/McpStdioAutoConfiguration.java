package dev.mcpstdio.autoconfigure;

import java.time.Clock;
import java.util.List;

import dev.mcpstdio.process.ProcessLauncher;
import dev.mcpstdio.server.McpStdioServers;
import dev.mcpstdio.server.ServerDefinition;
import io.modelcontextprotocol.json.McpJsonDefaults;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.ai.mcp.SyncMcpToolCallbackProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Auto-configuration of managed MCP STDIO servers from {@code mcp.stdio.*}: the
 * {@link McpStdioServers} registry, one lifecycle bean per server, and the startup
 * barrier. Nothing is launched while beans are created: processes start with the
 * context's lifecycle.
 */
@AutoConfiguration
@ConditionalOnProperty(prefix = McpStdioProperties.PREFIX, name = "enabled", havingValue = "true",
		matchIfMissing = true)
public final class McpStdioAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ProcessLauncher mcpStdioProcessLauncher() {
		return ProcessLauncher.shared();
	}

	@Bean
	@ConditionalOnMissingBean
	McpStdioServers mcpStdioServers(McpStdioServerDefinitions definitions, ProcessLauncher launcher) {
		List<ServerDefinition> servers = definitions.get();
		launcher.reapOrphans(); // what an application killed outright left behind
		return new McpStdioServers(servers, launcher, McpJsonDefaults.getMapper(), Clock.systemUTC());
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
