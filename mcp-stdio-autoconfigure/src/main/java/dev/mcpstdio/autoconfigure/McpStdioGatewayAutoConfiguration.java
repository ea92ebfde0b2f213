package dev.mcpstdio.autoconfigure;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.mcpstdio.actuate.McpStdioGatewayHealthIndicator;
import dev.mcpstdio.actuate.McpStdioGatewayMetrics;
import dev.mcpstdio.gateway.GatewaySettings;
import dev.mcpstdio.gateway.McpStdioGateway;
import dev.mcpstdio.gateway.SubjectProcessCustomizer;
import dev.mcpstdio.server.McpStdioClientCustomizer;
import dev.mcpstdio.server.McpStdioServers;
import dev.mcpstdio.server.ProcessOverrides;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.modelcontextprotocol.json.McpJsonDefaults;
import jakarta.servlet.http.HttpServlet;

import org.springframework.beans.factory.ObjectProvider;
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
import org.springframework.core.io.ResourceLoader;

/**
 * The gateway, with {@code mcp.stdio.gateway.enabled} in a servlet web application: every
 * managed server over MCP's Streamable HTTP at {@code base-path/NAME}. It authenticates
 * its callers ({@link McpStdioGatewaySecurityAutoConfiguration}) unless
 * {@code allow-unauthenticated} says otherwise: {@link GatewayAuthChecks} refuses
 * settings that cannot work.
 */
@AutoConfiguration(after = McpStdioAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({ ServletRegistrationBean.class, HttpServlet.class })
@ConditionalOnProperty(prefix = McpStdioProperties.PREFIX, name = "gateway.enabled", havingValue = "true")
@EnableConfigurationProperties(McpStdioProperties.class)
public final class McpStdioGatewayAutoConfiguration {

	@Bean
	McpStdioGateway mcpStdioGateway(McpStdioServers servers, McpStdioProperties properties, Environment environment,
			ResourceLoader resources, ObjectProvider<SubjectProcessCustomizer> subjectProcesses) {
		GatewayAuthChecks.check(properties.getGateway(), environment, servers.names(), resources.getClassLoader());
		GatewayAuthChecks.checkProcessPer(properties.getGateway(),
				(name) -> servers.names().contains(name) && !servers.server(name).definition().keepAlive());
		return new McpStdioGateway(servers, settings(properties.getGateway()), McpJsonDefaults.getMapper(),
				Clock.systemUTC(), subjectProcesses.getIfAvailable(() -> (server, subject) -> ProcessOverrides.NONE));
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
				gateway.getSessionIdleTimeout(), gateway.getMaxSessions(), gateway.getMaxSessionsPerSubject(),
				gateway.getEventBuffer(), gateway.getMaxMessageSize(), allowedHosts(gateway),
				List.copyOf(gateway.getAllowedOrigins()), (instanceId != null) ? instanceId : hostName(),
				gateway.getProcessPer()
					.entrySet()
					.stream()
					.filter((entry) -> entry.getValue() == McpStdioProperties.ProcessPer.SUBJECT)
					.map(Map.Entry::getKey)
					.toList(),
				drainTimeout(gateway.getDrainTimeout()));
	}

	private static Duration drainTimeout(Duration timeout) {
		if (timeout.isNegative()) {
			throw new McpStdioConfigurationException(null, "mcp.stdio.gateway.drain-timeout",
					"mcp.stdio.gateway.drain-timeout is negative (" + timeout + ")",
					"Set mcp.stdio.gateway.drain-timeout to 0s (end sessions at once) or more, such as 20s");
		}
		return timeout;
	}

	static String basePath(McpStdioProperties.Gateway gateway) {
		String path = gateway.getBasePath().trim();
		path = path.startsWith("/") ? path : "/" + path;
		return path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
	}

	/** The allowed hosts, and public-url's. */
	private static List<String> allowedHosts(McpStdioProperties.Gateway gateway) {
		List<String> hosts = new ArrayList<>(gateway.getAllowedHosts());
		URI publicUrl = gateway.getPublicUrl();
		if (publicUrl != null && publicUrl.getHost() != null && !hosts.contains(publicUrl.getHost())) {
			hosts.add(publicUrl.getHost());
		}
		return List.copyOf(hosts);
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

}
