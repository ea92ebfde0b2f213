package dev.mcpstdio.sample;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.mcpstdio.server.McpStdioServer;
import dev.mcpstdio.server.McpStdioServers;
import dev.mcpstdio.server.McpStdioSession;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.Content;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import io.modelcontextprotocol.spec.McpSchema.Tool;

import org.springframework.stereotype.Component;

/**
 * Lists and calls the tools of the managed servers, the same way for keep-alive servers
 * and for keep-alive: false ones.
 */
@Component
public class Tools {

	private final McpStdioServers servers;

	public Tools(McpStdioServers servers) {
		this.servers = servers;
	}

	/** The tools of every server, by server. */
	public Map<String, List<Map<String, String>>> list() {
		Map<String, List<Map<String, String>>> tools = new LinkedHashMap<>();
		for (McpStdioServer server : this.servers.servers()) {
			try (McpStdioSession session = this.servers.openSession(server.name())) {
				tools.put(server.name(), session.client().listTools().tools().stream().map(Tools::describe).toList());
			}
		}
		return tools;
	}

	/** Calls one tool; its text content, joined by lines. */
	public String call(String server, String tool, Map<String, Object> arguments) {
		try (McpStdioSession session = this.servers.openSession(server)) {
			CallToolResult result = session.client().callTool(new CallToolRequest(tool, arguments));
			return text(result);
		}
	}

	private static Map<String, String> describe(Tool tool) {
		return Map.of("name", tool.name(), "description", String.valueOf(tool.description()));
	}

	private static String text(CallToolResult result) {
		StringBuilder text = new StringBuilder();
		for (Content content : result.content()) {
			if (!text.isEmpty()) {
				text.append('\n');
			}
			text.append((content instanceof TextContent textContent) ? textContent.text() : content.toString());
		}
		return text.toString();
	}

}
