package dev.mcpstdio.autoconfigure;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.List;

import dev.mcpstdio.actuate.McpStdioGatewayHealthIndicator;
import dev.mcpstdio.actuate.McpStdioGatewayMetrics;
import dev.mcpstdio.gateway.GatewaySettings;
import dev.mcpstdio.gateway.McpStdioGateway;
import dev.mcpstdio.server.McpStdioClientCustomizer;
import dev.mcpstdio.server.McpStdioServers;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.modelcontextprotocol.json.McpJsonDefaults;
import jakarta.servlet.http.HttpServlet;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;

/**
 * The gateway, with {@code mcp.stdio.gateway.enabled} in a servlet web application: every
 * managed server over MCP's Streamable HTTP at {@code base-path/NAME}. Until the gateway
 * authenticates its callers it refuses to start on an address that is not loopback,
 * unless {@code allow-unauthenticated} says otherwise.
 */
@AutoConfiguration(after = McpStdioAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({ ServletRegistrationBean.class, HttpServlet.class })
@ConditionalOnProperty(prefix = McpStdioProperties.PREFIX, name = "gateway.enabled", havingValue = "true")
@EnableConfigurationProperties(McpStdioProperties.class)
public final class McpStdioGatewayAutoConfiguration {

	@Bean
	McpStdioGateway mcpStdioGateway(McpStdioServers servers, McpStdioProperties properties, Environment environment) {
		refuseUnauthenticatedExposure(properties.getGateway(), environment);
		return new McpStdioGateway(servers, settings(properties.getGateway()), McpJsonDefaults.getMapper(),
				Clock.systemUTC());
	}

	@Bean
	ServletRegistrationBean<HttpServlet> mcpStdioGatewayServlet(McpStdioGateway gateway,
			McpStdioProperties properties) {
		ServletRegistrationBean<HttpServlet> registration = new ServletRegistrationBean<>(gateway.servlet(),
				basePath(properties.getGateway()) + "/*");
		registration.setName("mcpStdioGateway");
		registration.setAsyncSupported(true);
		registration.setLoadOnStartup(1);
		return registration;
	}

	/** Declares sampling and elicitation for the served servers' processes. */
	@Bean
	@Order(Ordered.HIGHEST_PRECEDENCE)
	McpStdioClientCustomizer mcpStdioGatewayClientCustomizer(McpStdioProperties properties) {
		return McpStdioGateway.clientCustomizer(settings(properties.getGateway()));
	}

	/** The gateway's metrics, where Micrometer is. */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterBinder.class)
	static class Metrics {

		@Bean
		@ConditionalOnMissingBean
		McpStdioGatewayMetrics mcpStdioGatewayMetrics(McpStdioGateway gateway) {
			return new McpStdioGatewayMetrics(gateway);
		}

	}

	/** The gateway's health, where Spring Boot's health is. */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(AbstractHealthIndicator.class)
	static class HealthIndicator {

		@Bean
		@ConditionalOnMissingBean(name = "mcpStdioGatewayHealthIndicator")
		McpStdioGatewayHealthIndicator mcpStdioGatewayHealthIndicator(McpStdioGateway gateway) {
			return new McpStdioGatewayHealthIndicator(gateway);
		}

	}

	static GatewaySettings settings(McpStdioProperties.Gateway gateway) {
		String instanceId = gateway.getInstanceId();
		return new GatewaySettings(basePath(gateway), List.copyOf(gateway.getServers()),
				gateway.getSessionIdleTimeout(), gateway.getMaxSessions(), gateway.getEventBuffer(),
				gateway.getMaxMessageSize(), List.copyOf(gateway.getAllowedHosts()),
				List.copyOf(gateway.getAllowedOrigins()), (instanceId != null) ? instanceId : hostName());
	}

	private static String basePath(McpStdioProperties.Gateway gateway) {
		String path = gateway.getBasePath().trim();
		path = path.startsWith("/") ? path : "/" + path;
		return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
	}

	private static String hostName() {
		String name = System.getenv("HOSTNAME");
		if (name == null || name.isBlank()) {
			try {
				name = InetAddress.getLocalHost().getHostName();
			}
			catch (UnknownHostException ex) {
				name = "gateway";
			}
		}
		return name.replaceAll("[^A-Za-z0-9_-]", "-");
	}

	/**
	 * Refuses to serve on an address other than loopback without authentication: the
	 * gateway runs servers with the application's reach.
	 */
	private static void refuseUnauthenticatedExposure(McpStdioProperties.Gateway gateway, Environment environment) {
		if (gateway.isAllowUnauthenticated()) {
			return;
		}
		String address = environment.getProperty("server.address");
		if (address == null || !isLoopback(address)) {
			throw new McpStdioConfigurationException(null, "mcp.stdio.gateway.allow-unauthenticated",
					"mcp.stdio.gateway would serve every MCP server to "
							+ ((address != null) ? address : "every network interface (server.address is not set)")
							+ " without authentication",
					"Set server.address: 127.0.0.1 to serve this machine only, or, if a proxy in front"
							+ " authenticates callers, set mcp.stdio.gateway.allow-unauthenticated: true");
		}
	}

	private static boolean isLoopback(@Nullable String address) {
		try {
			return address != null && InetAddress.getByName(address).isLoopbackAddress();
		}
		catch (UnknownHostException ex) {
			return false;
		}
	}

}
