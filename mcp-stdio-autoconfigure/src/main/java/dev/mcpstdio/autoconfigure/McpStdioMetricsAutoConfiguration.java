package dev.mcpstdio.autoconfigure;

import dev.mcpstdio.actuate.McpStdioMetrics;
import dev.mcpstdio.server.McpStdioServers;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Micrometer metrics of the managed servers, bound to every meter registry.
 */
@AutoConfiguration(after = McpStdioAutoConfiguration.class)
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean(McpStdioServers.class)
public final class McpStdioMetricsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	McpStdioMetrics mcpStdioMetrics(McpStdioServers servers) {
		return new McpStdioMetrics(servers);
	}

}
