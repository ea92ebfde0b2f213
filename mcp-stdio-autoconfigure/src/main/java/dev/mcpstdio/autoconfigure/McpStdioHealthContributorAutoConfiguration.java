package dev.mcpstdio.autoconfigure;

import dev.mcpstdio.actuate.McpStdioHealthIndicator;
import dev.mcpstdio.server.McpStdioServers;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.actuate.endpoint.StatusAggregator;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * The {@code mcpStdio} health component, one detail per server; off with
 * {@code management.health.mcp-stdio.enabled=false} (or any relaxed spelling of it).
 */
@AutoConfiguration(after = McpStdioAutoConfiguration.class)
@ConditionalOnClass(AbstractHealthIndicator.class)
@ConditionalOnBean(McpStdioServers.class)
@ConditionalOnEnabledHealthIndicator("mcp-stdio")
public final class McpStdioHealthContributorAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "mcpStdioHealthContributor")
	McpStdioHealthIndicator mcpStdioHealthContributor(McpStdioServers servers,
			ObjectProvider<StatusAggregator> aggregator) {
		// the health endpoint's own aggregator: its status order applies here too
		return new McpStdioHealthIndicator(servers, aggregator.getIfAvailable(StatusAggregator::getDefault));
	}

}
