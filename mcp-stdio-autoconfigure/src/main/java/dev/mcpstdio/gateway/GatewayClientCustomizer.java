package dev.mcpstdio.gateway;

import dev.mcpstdio.server.McpStdioClientCustomizer;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.spec.McpSchema;

/**
 * The starter's clients of served servers declare what a gateway's client may do, so that
 * the processes send those requests; where one reaches the starter's own client (a shared
 * process with no single gateway session waiting), it is answered with why.
 */
final class GatewayClientCustomizer implements McpStdioClientCustomizer {

	private final GatewaySettings settings;

	GatewayClientCustomizer(GatewaySettings settings) {
		this.settings = settings;
	}

	@Override
	public void customize(String serverName, McpClient.SyncSpec spec) {
		if (!this.settings.serves(serverName)) {
			return;
		}
		spec.capabilities(McpSchema.ClientCapabilities.builder().roots(false).sampling().elicitation().build());
		spec.sampling((request) -> {
			throw unrouted(serverName, McpSchema.METHOD_SAMPLING_CREATE_MESSAGE);
		});
		spec.elicitation((request) -> {
			throw unrouted(serverName, McpSchema.METHOD_ELICITATION_CREATE);
		});
	}

	private static IllegalStateException unrouted(String server, String method) {
		return new IllegalStateException("MCP server '" + server + "' sent '" + method + "' on its shared process"
				+ " while no gateway session, or more than one, had a tool call in flight, so it cannot tell which"
				+ " client it is for. A server that asks its clients should run with keep-alive: false (a process"
				+ " per session)");
	}

}
