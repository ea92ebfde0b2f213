package dev.mcpstdio.autoconfigure;

import dev.mcpstdio.actuate.McpStdioEndpoint;
import dev.mcpstdio.server.McpStdioServers;

import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The {@code mcpstdio} actuator endpoint, read-only unless its access is granted.
 */
@AutoConfiguration(after = McpStdioAutoConfiguration.class)
@ConditionalOnClass({ Endpoint.class, ConditionalOnAvailableEndpoint.class })
@ConditionalOnBean(McpStdioServers.class)
@ConditionalOnAvailableEndpoint(McpStdioEndpoint.class)
public final class McpStdioEndpointAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	McpStdioEndpoint mcpStdioEndpoint(McpStdioServers servers) {
		return new McpStdioEndpoint(servers);
	}

}
