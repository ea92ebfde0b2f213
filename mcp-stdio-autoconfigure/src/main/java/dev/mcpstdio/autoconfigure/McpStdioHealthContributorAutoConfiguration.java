package dev.mcpstdio.autoconfigure;

import dev.mcpstdio.actuate.McpStdioHealthContributor;
import dev.mcpstdio.server.McpStdioServers;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * The {@code mcpStdio} health component, one child per server; off with
 * {@code management.health.mcp-stdio.enabled=false} (or any relaxed spelling of it).
 */
@AutoConfiguration(after = McpStdioAutoConfiguration.class)
@ConditionalOnClass(AbstractHealthIndicator.class)
@ConditionalOnBean(McpStdioServers.class)
@ConditionalOnEnabledHealthIndicator("mcp-stdio")
public final class McpStdioHealthContributorAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "mcpStdioHealthContributor")
	McpStdioHealthContributor mcpStdioHealthContributor(McpStdioServers servers) {
		return new McpStdioHealthContributor(servers);
	}

}
