package dev.mcpstdio.sample;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * A deliberately stubborn MCP server, so you see the stop ladder work in the log at
 * shutdown: it ignores stdin EOF and SIGTERM, and leaves a grandchild (which ignores
 * SIGTERM too) holding its stdout. With the stock clients this is the child that outlives
 * the application and keeps the JVM from exiting. Its one tool: stubborn_ping. Argument
 * {@code --grandchild-seconds=N}: how long the grandchild sleeps.
 */
public final class StubbornMcpServer {

	private StubbornMcpServer() {
	}

	public static void main(String[] args) throws Exception {
		Signal.handle(new Signal("TERM"), SignalHandler.SIG_IGN);
		String seconds = "3600";
		for (String arg : args) {
			if (arg.startsWith("--grandchild-seconds=")) {
				seconds = arg.substring(arg.indexOf('=') + 1);
			}
		}
		Process grandchild = new ProcessBuilder("sh", "-c", "trap '' TERM; exec sleep " + seconds)
			.redirectOutput(ProcessBuilder.Redirect.INHERIT)
			.redirectError(ProcessBuilder.Redirect.INHERIT)
			.start();
		System.err.println("stubborn MCP server ready: ignores EOF and SIGTERM; grandchild pid " + grandchild.pid());
		McpJsonMapper json = McpJsonDefaults.getMapper();
		BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
		String line;
		while ((line = in.readLine()) != null) {
			@SuppressWarnings("unchecked")
			Map<String, Object> request = json.readValue(line, Map.class);
			Object id = request.get("id");
			if (id == null) {
				continue;
			}
			Object result = switch (String.valueOf(request.get("method"))) {
				case "initialize" -> Map.of("protocolVersion",
						((Map<?, ?>) request.get("params")).get("protocolVersion"), "capabilities",
						Map.of("tools", Map.of()), "serverInfo", Map.of("name", "stubborn", "version", "1.0.0"));
				case "tools/list" -> Map.of("tools", java.util.List.of(Map.of("name", "stubborn_ping", "description",
						"Answers pong, and will not die quietly", "inputSchema", Map.of("type", "object"))));
				case "tools/call" -> Map.of("content", java.util.List.of(Map.of("type", "text", "text", "pong")));
				default -> Map.of();
			};
			System.out.println(json.writeValueAsString(Map.of("jsonrpc", "2.0", "id", id, "result", result)));
			System.out.flush();
		}
		System.err.println("stdin closed; staying alive anyway");
		Thread.sleep(Long.MAX_VALUE);
	}

}
