package dev.mcpstdio.actuate;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import dev.mcpstdio.autoconfigure.McpStdioAutoConfiguration;
import dev.mcpstdio.server.McpStdioServers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A server's own text is data, not terminal control: a real server that writes ANSI
 * escapes to stderr and stdout and names itself with one, in a real Spring context, and
 * what the log and health show of it.
 */
@EnabledOnOs(OS.LINUX)
@ExtendWith(OutputCaptureExtension.class)
class ServerTextContextTests {

	/**
	 * An MCP server that clears the screen, sets the terminal's title, overwrites a line
	 * with a carriage return and writes a C1 CSI on stderr, moves the cursor on stdout,
	 * and gives a name and version that hold escapes.
	 */
	private static final String SERVER = """
			import json, sys
			for line in ["\\x1b[2Jscreen cleared", "\\x1b]0;forged title\\x07title set", "real line\\rforged line",
			             "\\x9b31mred through C1"]:
			    sys.stderr.buffer.write((line + "\\n").encode("utf-8"))
			sys.stderr.buffer.flush()
			for line in sys.stdin:
			    if not line.strip():
			        continue
			    message = json.loads(line)
			    id, method = message.get("id"), message.get("method")
			    if id is None:
			        continue
			    if method == "initialize":
			        print("\\x1b[1A\\x1b[2Knot json", flush=True)
			        result = {"protocolVersion": message["params"]["protocolVersion"], "capabilities": {"tools": {}},
			                  "serverInfo": {"name": "ansi\\x1b[2J", "version": "1.0\\x1b[8m"}}
			    elif method == "tools/list":
			        result = {"tools": []}
			    elif method == "ping":
			        result = {}
			    else:
			        error = {"code": -32601, "message": "Method not found: " + method}
			        print(json.dumps({"jsonrpc": "2.0", "id": id, "error": error}), flush=True)
			        continue
			    print(json.dumps({"jsonrpc": "2.0", "id": id, "result": result}), flush=True)
			""";

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(McpStdioAutoConfiguration.class));

	@TempDir
	Path dir;

	@Test
	void escapesOfAServerAreLoggedAndShownInHealthEscaped(CapturedOutput output) throws Exception {
		Path server = Files.writeString(this.dir.resolve("ansi.py"), SERVER);
		List<String> stderr = List.of("\\u001b[2Jscreen cleared", "\\u001b]0;forged title\\u0007title set",
				"real line\\u000dforged line", "\\u009b31mred through C1");
		this.runner
			.withPropertyValues("mcp.stdio.servers.ansi.command=/usr/bin/python3",
					"mcp.stdio.servers.ansi.args[0]=" + server)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				McpStdioServers servers = context.getBean(McpStdioServers.class);
				await().atMost(Duration.ofSeconds(30))
					.until(() -> output.getOut().contains("MCP server 'ansi' started")
							&& servers.server("ansi").status().stderrTail().size() == stderr.size());
				Health health = new McpStdioServerHealthIndicator(servers.server("ansi")).health(true);
				assertThat(health.getDetails()).containsEntry("stderrTail", stderr)
					.containsEntry("serverName", "ansi\\u001b[2J")
					.containsEntry("serverVersion", "1.0\\u001b[8m");
				assertThat(output.getOut()).contains(stderr.stream().map((line) -> "mcp.stdio.ansi - " + line).toList())
					.contains("MCP server 'ansi' wrote a line to stdout that is not a JSON-RPC message (1 so far):"
							+ " \\u001b[1A\\u001b[2Knot json")
					.contains("MCP server 'ansi' started: pid " + servers.server("ansi").pid().orElseThrow()
							+ ", ansi\\u001b[2J 1.0\\u001b[8m, 0 tools");
				// no control character reaches the log as it came, but in the SDK's own
				// line of
				// the initialize result, which an application logs at WARN only
				// (McpStdioLoggingDefaults; this runner has no such default)
				assertThat(output.getOut()).doesNotContain("real line\rforged");
				assertThat(output.getOut().lines().filter((line) -> !line.contains("LifecycleInitializer")))
					.noneMatch((line) -> line.contains("\u001b") || line.contains("\u0007") || line.contains("\u009b"));
			});
	}

}
