package dev.mcpstdio.sample;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;

import ch.qos.logback.classic.Level;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo MCP server bundled with the sample, built on the MCP Java SDK and run by the
 * starter as a child process ({@code java.main-class}). Tools: echo, add, current_time,
 * slow.
 */
public final class DemoMcpServer {

	private DemoMcpServer() {
	}

	public static void main(String[] args) throws Exception {
		// stdout carries the protocol: everything else, logs included, goes to stderr
		PrintStream protocol = System.out;
		System.setOut(System.err);
		((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).setLevel(Level.WARN);
		McpJsonMapper json = McpJsonDefaults.getMapper();
		McpSyncServer server = McpServer.sync(new StdioServerTransportProvider(json, exitAtEof(System.in), protocol))
			.serverInfo("mcp-stdio-demo", "1.0.0")
			.capabilities(McpSchema.ServerCapabilities.builder().tools(false).build())
			.tools(echo(), add(), currentTime(), slow())
			.build();
		System.err.println("demo MCP server ready, pid " + ProcessHandle.current().pid());
		Runtime.getRuntime().addShutdownHook(new Thread(server::close));
	}

	/**
	 * Stdin that ends the program at its end, as the MCP specification asks of a server.
	 */
	private static InputStream exitAtEof(InputStream in) {
		return new FilterInputStream(in) {

			@Override
			public int read() throws IOException {
				return exitIfEnd(super.read());
			}

			@Override
			public int read(byte[] buffer, int offset, int length) throws IOException {
				return exitIfEnd(super.read(buffer, offset, length));
			}

			private int exitIfEnd(int read) {
				if (read == -1) {
					System.err.println("stdin closed: exiting");
					System.exit(0);
				}
				return read;
			}

		};
	}

	private static SyncToolSpecification echo() {
		return tool("echo", "Returns the text it is given", Map.of("text", Map.of("type", "string")),
				(arguments) -> String.valueOf(arguments.get("text")));
	}

	private static SyncToolSpecification add() {
		return tool("add", "Adds two numbers", Map.of("a", Map.of("type", "number"), "b", Map.of("type", "number")),
				(arguments) -> {
					double sum = number(arguments.get("a")) + number(arguments.get("b"));
					return (sum == Math.rint(sum)) ? Long.toString((long) sum) : Double.toString(sum);
				});
	}

	private static SyncToolSpecification currentTime() {
		return tool("current_time", "The server's current date and time", Map.of(),
				(arguments) -> ZonedDateTime.now().toString());
	}

	private static SyncToolSpecification slow() {
		return tool("slow", "Waits the given number of seconds (default 2), then answers",
				Map.of("seconds", Map.of("type", "number")), (arguments) -> {
					long millis = (long) (number(arguments.getOrDefault("seconds", 2)) * 1000);
					try {
						Thread.sleep(millis);
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
					}
					return "waited " + millis + " ms";
				});
	}

	private static SyncToolSpecification tool(String name, String description, Map<String, Object> properties,
			java.util.function.Function<Map<String, Object>, String> body) {
		McpSchema.Tool tool = McpSchema.Tool.builder()
			.name(name)
			.description(description)
			.inputSchema(Map.of("type", "object", "properties", properties))
			.build();
		return SyncToolSpecification.builder()
			.tool(tool)
			.callHandler((exchange, request) -> CallToolResult.builder()
				.content(List.of(new McpSchema.TextContent(
						body.apply((request.arguments() != null) ? request.arguments() : Map.of()))))
				.isError(false)
				.build())
			.build();
	}

	private static double number(Object value) {
		return (value instanceof Number number) ? number.doubleValue() : Double.parseDouble(String.valueOf(value));
	}

}
