package dev.mcpstdio.autoconfigure;

import dev.mcpstdio.actuate.McpStdioServerHealthIndicator;
import dev.mcpstdio.server.McpStdioServers;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.context.annotation.Bean;

/**
 * The {@code mcpStdio} health component, one child per server; off with
 * {@code management.health.mcpStdio.enabled=false}.
 */
@AutoConfiguration(after = McpStdioAutoConfiguration.class)
@ConditionalOnClass(AbstractHealthIndicator.class)
@ConditionalOnBean(McpStdioServers.class)
@ConditionalOnEnabledHealthIndicator("mcpStdio")
public final class McpStdioHealthContributorAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "mcpStdioHealthContributor")
	CompositeHealthContributor mcpStdioHealthContributor(McpStdioServers servers) {
		return McpStdioServerHealthIndicator.contributor(servers);
	}

}
