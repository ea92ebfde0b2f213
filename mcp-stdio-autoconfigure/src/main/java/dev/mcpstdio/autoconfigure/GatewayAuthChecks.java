package dev.mcpstdio.autoconfigure;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Collection;
import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

/**
 * The gateway's authentication settings, checked before it starts: it authenticates its
 * callers unless {@code allow-unauthenticated} says otherwise (on loopback too), and each
 * way of authenticating has what it needs. Each refusal names the property and the fix.
 */
final class GatewayAuthChecks {

	private static final Logger logger = LoggerFactory.getLogger(GatewayAuthChecks.class);

	private static final String PREFIX = "mcp.stdio.gateway.";

	/** What the gateway's authentication needs on the class path. */
	static final String DEPENDENCY = "org.springframework.boot:spring-boot-starter-security-oauth2-resource-server";

	private GatewayAuthChecks() {
	}

	/**
	 * Checks the gateway's authentication settings.
	 * @param gateway the settings
	 * @param environment where {@code server.address} is
	 * @param servers the names of the managed servers
	 * @param classLoader where Spring Security would be
	 * @throws McpStdioConfigurationException where they cannot work
	 */
	static void check(McpStdioProperties.Gateway gateway, Environment environment, Collection<String> servers,
			@Nullable ClassLoader classLoader) {
		if (gateway.isAllowUnauthenticated()) {
			String address = environment.getProperty("server.address");
			if (address == null || !isLoopback(address)) {
				logger.warn(
						"mcp.stdio.gateway serves every MCP server it serves to {} without authentication"
								+ " (mcp.stdio.gateway.allow-unauthenticated: true)",
						(address != null) ? address : "every network interface");
			}
			return;
		}
		McpStdioProperties.GatewayAuth auth = gateway.getAuth();
		if (auth == McpStdioProperties.GatewayAuth.NONE) {
			throw new McpStdioConfigurationException(null, PREFIX + "auth",
					"mcp.stdio.gateway.auth: none would serve every MCP server without authentication",
					"Set mcp.stdio.gateway.allow-unauthenticated: true to mean it (only where a proxy in front"
							+ " authenticates callers), or use mcp.stdio.gateway.auth: oauth2 or token");
		}
		if (!ClassUtils.isPresent("org.springframework.security.config.annotation.web.builders.HttpSecurity",
				classLoader)
				|| !ClassUtils.isPresent(
						"org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint",
						classLoader)) {
			throw new McpStdioConfigurationException(null, PREFIX + "auth",
					"mcp.stdio.gateway.auth: " + name(auth) + " authenticates callers with Spring Security's resource"
							+ " server, which is not on the class path",
					"Add the dependency " + DEPENDENCY + ", or, where a proxy in front authenticates callers, set"
							+ " mcp.stdio.gateway.allow-unauthenticated: true");
		}
		if (auth == McpStdioProperties.GatewayAuth.TOKEN) {
			token(gateway);
			if (!gateway.getScopes().isEmpty()) {
				throw new McpStdioConfigurationException(null, PREFIX + "scopes",
						"mcp.stdio.gateway.scopes needs tokens that carry scopes; a static token carries none",
						"Use mcp.stdio.gateway.auth: oauth2, or remove mcp.stdio.gateway.scopes");
			}
		}
		else {
			publicUrl(gateway);
			for (String server : gateway.getScopes().keySet()) {
				if (!servers.contains(server)) {
					throw new McpStdioConfigurationException(server, PREFIX + "scopes." + server,
							"mcp.stdio.gateway.scopes names '" + server + "', which is no managed server",
							"Name one of " + servers + " under mcp.stdio.gateway.scopes");
				}
			}
		}
	}

	/**
	 * Checks the servers of {@code process-per: subject}: each one a keep-alive false
	 * server, and callers authenticated (a subject to own the process).
	 * @param gateway the settings
	 * @param ownProcesses whether a name is a managed server with a process per session
	 */
	static void checkProcessPer(McpStdioProperties.Gateway gateway, Predicate<String> ownProcesses) {
		gateway.getProcessPer().forEach((server, per) -> {
			if (per != McpStdioProperties.ProcessPer.SUBJECT) {
				return;
			}
			if (!ownProcesses.test(server)) {
				throw new McpStdioConfigurationException(server, PREFIX + "process-per." + server,
						"mcp.stdio.gateway.process-per." + server + ": subject needs a managed server with"
								+ " keep-alive: false; '" + server + "' is none",
						"Name a keep-alive: false server, or set mcp.stdio.servers." + server + ".keep-alive: false");
			}
			if (gateway.isAllowUnauthenticated()) {
				throw new McpStdioConfigurationException(server, PREFIX + "process-per." + server,
						"mcp.stdio.gateway.process-per." + server + ": subject gives each authenticated caller a"
								+ " process, but allow-unauthenticated: true authenticates nobody",
						"Authenticate callers (mcp.stdio.gateway.auth: oauth2), or use process-per: session");
			}
		});
	}

	/** The static token; refused when blank. */
	static String token(McpStdioProperties.Gateway gateway) {
		String token = gateway.getToken();
		if (token == null || token.isBlank()) {
			throw new McpStdioConfigurationException(null, PREFIX + "token",
					"mcp.stdio.gateway.auth: token has no mcp.stdio.gateway.token",
					"Set mcp.stdio.gateway.token to a long random secret, from the environment"
							+ " (token: ${MCP_GATEWAY_TOKEN}) rather than a file under version control");
		}
		return token;
	}

	/** The origin clients use; refused when unset or not an absolute http(s) URL. */
	static URI publicUrl(McpStdioProperties.Gateway gateway) {
		URI url = gateway.getPublicUrl();
		if (url == null || url.getHost() == null
				|| !("https".equals(url.getScheme()) || "http".equals(url.getScheme()))) {
			throw new McpStdioConfigurationException(null, PREFIX + "public-url",
					"mcp.stdio.gateway.public-url is "
							+ ((url != null) ? "'" + url + "', not an http(s) URL" : "not set")
							+ ": the gateway's servers need a canonical URI, the audience of their tokens",
					"Set mcp.stdio.gateway.public-url to the origin your clients use, such as"
							+ " https://mcp.example.com (never guessed from a request's Host)");
		}
		return url;
	}

	private static String name(McpStdioProperties.GatewayAuth auth) {
		return auth.name().toLowerCase(java.util.Locale.ROOT);
	}

	private static boolean isLoopback(String address) {
		try {
			return InetAddress.getByName(address).isLoopbackAddress();
		}
		catch (UnknownHostException ex) {
			return false;
		}
	}

}
