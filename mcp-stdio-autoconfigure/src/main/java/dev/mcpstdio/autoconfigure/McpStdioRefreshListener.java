package dev.mcpstdio.autoconfigure;

import java.util.Locale;
import java.util.Set;

import org.springframework.cloud.context.environment.EnvironmentChangeEvent;
import org.springframework.context.ApplicationListener;

/**
 * Spring Cloud's refresh: where the keys that changed include the servers' configuration
 * ({@code mcp.stdio.servers}, {@code mcp.stdio.defaults}, the config-file and its
 * inputs), the servers are reloaded from the environment as it is now.
 */
final class McpStdioRefreshListener implements ApplicationListener<EnvironmentChangeEvent> {

	/** The groups under mcp.stdio the servers are bound from, dashes left out. */
	private static final Set<String> SERVER_GROUPS = Set.of("servers", "defaults", "configfile", "inputs");

	private final McpStdioReloader reloader;

	McpStdioRefreshListener(McpStdioReloader reloader) {
		this.reloader = reloader;
	}

	@Override
	public void onApplicationEvent(EnvironmentChangeEvent event) {
		if (event.getKeys().stream().anyMatch(McpStdioRefreshListener::isServerKey)) {
			this.reloader.reloadLater("the environment (Spring Cloud refresh)");
		}
	}

	/**
	 * {@code mcp.stdio.servers.x.command}, {@code MCP_STDIO_DEFAULTS_...} and the like.
	 */
	static boolean isServerKey(String key) {
		String name = key.toLowerCase(Locale.ROOT).replace('_', '.').replace("-", "");
		String prefix = McpStdioProperties.PREFIX + ".";
		if (!name.startsWith(prefix)) {
			return false;
		}
		String rest = name.substring(prefix.length());
		return SERVER_GROUPS.stream()
			.anyMatch((group) -> rest.equals(group) || rest.startsWith(group + ".") || rest.startsWith(group + "["));
	}

}
