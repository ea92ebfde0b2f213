package dev.mcpstdio.server;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.mcpstdio.fixture.Fixtures;
import dev.mcpstdio.process.ProcessLauncher;
import dev.mcpstdio.transport.InterruptedCall;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A caller of the starter's clients that is interrupted while its tool call is at the
 * server fails at once, and the server (a real fixture that logs the calls and the
 * cancellations it receives) is told to cancel that call, once: on the shared client of a
 * keep-alive server and on a session's own client.
 */
@ExtendWith(OutputCaptureExtension.class)
class CallerInterruptTests {

	private final List<McpStdioServers> registries = new ArrayList<>();

	@AfterEach
	void close() {
		this.registries.forEach(McpStdioServers::close);
	}

	@Test
	void interruptedCallerOfTheSharedClientCancelsItsCallOnce(CapturedOutput output) throws Exception {
		McpSyncClient client = start(
				McpStdioServersTests.definition("shared-caller", Fixtures.spec("shared-caller", "--record-calls")))
			.client("shared-caller");
		interruptDuringCall(client, output);
		assertThat(echo(client)).as("the shared client goes on").isEqualTo("on");
	}

	@Test
	void interruptedCallerOfASessionCancelsItsCallOnce(CapturedOutput output) throws Exception {
		McpStdioServers servers = start(
				McpStdioServersTests.definition("own-caller", Fixtures.spec("own-caller", "--record-calls"))
					.withKeepAlive(false));
		try (McpStdioSession session = servers.openSession("own-caller")) {
			interruptDuringCall(session.client(), output);
			assertThat(echo(session.client())).as("the session goes on").isEqualTo("on");
		}
	}

	private McpStdioServers start(ServerDefinition definition) {
		McpStdioServers servers = new McpStdioServers(List.of(definition), ProcessLauncher.shared(),
				McpJsonDefaults.getMapper(), Clock.systemUTC());
		this.registries.add(servers);
		servers.startAll().join();
		return servers;
	}

	private static void interruptDuringCall(McpSyncClient client, CapturedOutput output) throws Exception {
		InterruptedCall call = InterruptedCall
			.start(() -> client.callTool(new CallToolRequest("slow", Map.of("millis", 1500))));
		// the server has the call
		await().atMost(Duration.ofSeconds(10)).until(() -> output.getOut().contains("call slow"));
		call.interrupt();
		assertThat(call.failure())
			.hasMessageContaining("request 'tools/call' of tool 'slow' was cancelled, as its caller was interrupted");
		// its answer, sent anyway, comes after the cancellation
		await().atMost(Duration.ofSeconds(10)).until(() -> output.getOut().contains("answered "));
		assertThat(output.getOut().lines().filter((line) -> line.contains("cancelled "))).singleElement()
			.satisfies((line) -> assertThat(line).endsWith(": its caller was interrupted"));
		assertThat(output.getOut()).doesNotContain("which is not in flight");
	}

	private static String echo(McpSyncClient client) {
		return ((TextContent) client.callTool(new CallToolRequest("echo", Map.of("text", "on"))).content().get(0))
			.text();
	}

}
