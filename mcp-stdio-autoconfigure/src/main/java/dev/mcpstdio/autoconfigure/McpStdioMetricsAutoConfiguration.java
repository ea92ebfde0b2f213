package dev.mcpstdio.autoconfigure;

import dev.mcpstdio.actuate.McpStdioMetrics;
import dev.mcpstdio.actuate.McpStdioRequestBuckets;
import dev.mcpstdio.server.McpStdioServers;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

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

	@Bean
	@ConditionalOnMissingBean
	@Order(Ordered.LOWEST_PRECEDENCE)
	McpStdioRequestBuckets mcpStdioRequestBuckets() {
		return new McpStdioRequestBuckets();
	}

}
