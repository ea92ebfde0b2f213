package dev.mcpstdio.actuate;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.mcpstdio.server.McpStdioServer;
import dev.mcpstdio.server.McpStdioServers;
import dev.mcpstdio.transport.error.McpStdioException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * The {@code mcpstdio} endpoint: every server, or one by name, with its configuration
 * (env values masked), state and process figures; {@code restart} and {@code stop} of one
 * server where the endpoint's access is unrestricted
 * ({@code management.endpoint.mcpstdio.access=unrestricted}).
 */
@Endpoint(id = "mcpstdio", defaultAccess = Access.READ_ONLY)
public class McpStdioEndpoint {

	private static final Logger logger = LoggerFactory.getLogger(McpStdioEndpoint.class);

	private final McpStdioServers servers;

	public McpStdioEndpoint(McpStdioServers servers) {
		this.servers = servers;
	}

	/** Every server, by name. */
	@ReadOperation
	public Map<String, Object> servers() {
		Map<String, Object> all = new LinkedHashMap<>();
		this.servers.servers().forEach((server) -> all.put(server.name(), ServerDetails.endpoint(server)));
		return Map.of("servers", all);
	}

	/** One server, or 404 when none has that name. */
	@ReadOperation
	public @Nullable Map<String, Object> server(@Selector String name) {
		McpStdioServer server = find(name);
		return (server != null) ? ServerDetails.endpoint(server) : null;
	}

	/**
	 * Restarts or stops one server: {@code POST /actuator/mcpstdio/{name}/restart} or
	 * {@code .../stop}. Answers the server's view after the operation; an unknown server
	 * or action is a bad request.
	 */
	@WriteOperation
	public Map<String, Object> operate(@Selector String name, @Selector String action) {
		McpStdioServer server = find(name);
		if (server == null) {
			throw new InvalidEndpointRequestException(
					"No MCP server named '" + name + "'; configured servers: " + this.servers.names(),
					"No MCP server of that name");
		}
		logger.info("MCP server '{}': {} requested through the mcpstdio endpoint", name, action);
		switch (action) {
			case "restart" -> {
				try {
					server.restart();
				}
				catch (McpStdioException ex) {
					// the view shows the state and the error
				}
			}
			case "stop" -> server.stop();
			default -> throw new InvalidEndpointRequestException(
					"Unknown action '" + action + "' for MCP server '" + name + "': use restart or stop",
					"Unknown action; use restart or stop");
		}
		return ServerDetails.endpoint(server);
	}

	private @Nullable McpStdioServer find(String name) {
		return this.servers.names().contains(name) ? this.servers.server(name) : null;
	}

}
