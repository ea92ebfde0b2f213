package dev.mcpstdio.sample;

import dev.mcpstdio.server.McpStdioServer;
import dev.mcpstdio.server.McpStdioServers;
import dev.mcpstdio.server.ServerStatus;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

/**
 * Prints, once the application has started, a table of the servers: name, pid, state,
 * tools.
 */
@Component
@Profile("!cli")
class ServerTable implements ApplicationRunner {

	private final McpStdioServers servers;

	ServerTable(McpStdioServers servers) {
		this.servers = servers;
	}

	@Override
	public void run(ApplicationArguments args) {
		StringBuilder table = new StringBuilder("\nMCP servers\n");
		table.append(String.format("  %-14s %-8s %-9s %-11s %s%n", "server", "pid", "state", "keep-alive", "tools"));
		for (McpStdioServer server : this.servers.servers()) {
			ServerStatus status = server.status();
			table.append(String.format("  %-14s %-8s %-9s %-11s %s%n", server.name(),
					(status.pid() != null) ? status.pid() : "-", status.state(), server.definition().keepAlive(),
					tools(server)));
		}
		System.out.println(table);
	}

	private String tools(McpStdioServer server) {
		if (!server.definition().keepAlive()) {
			return "(a process per session)";
		}
		try {
			return String.join(", ",
					this.servers.client(server.name())
						.listTools()
						.tools()
						.stream()
						.map((tool) -> tool.name())
						.toList());
		}
		catch (RuntimeException ex) {
			return "(unavailable: " + ex.getMessage() + ")";
		}
	}

}
