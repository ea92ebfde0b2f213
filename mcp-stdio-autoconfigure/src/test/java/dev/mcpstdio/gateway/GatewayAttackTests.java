package dev.mcpstdio.gateway;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.mcpstdio.gateway.McpHttpClient.EventStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway attacked the ways a hostile client would: names that resolve to loopback in
 * the Host header, another session's server request answered, another session's stream
 * resumed, a body past max-message-size.
 */
@ExtendWith(OutputCaptureExtension.class)
class GatewayAttackTests {

	private static ConfigurableApplicationContext context;

	private static int port;

	@BeforeAll
	static void start() {
		List<String> properties = new ArrayList<>(GatewayTestApplication.fixture("shared", "args=--record-calls"));
		properties.add("mcp.stdio.gateway.max-message-size=10000");
		context = GatewayTestApplication.start(properties);
		port = GatewayTestApplication.port(context);
	}

	@AfterAll
	static void stop() {
		context.close();
	}

	@Test
	void hostNamesThatResolveToLoopbackAreRefused() throws Exception {
		for (String host : List.of("127.0.0.1.nip.io", "localhost.", "[::ffff:127.0.0.1]", "localhost@evil.example",
				"evil.example#localhost", "0.0.0.0", "127.0.0.2")) {
			String answer = RawHttp.post(port, "/mcp/shared", host + ":" + port, null,
					McpHttpClient.initialize(Map.of()));
			// 403 from the gateway, or 400 from the web server for a Host it cannot parse
			assertThat(answer).as(host).matches("(?s)HTTP/1.1 40[03] .*").doesNotContain("Mcp-Session-Id");
		}
		assertThat(RawHttp.post(port, "/mcp/shared", "LocalHost:" + port, "null", McpHttpClient.initialize(Map.of())))
			.as("the opaque origin of a sandboxed page")
			.startsWith("HTTP/1.1 403");
	}

	@Test
	void aSessionCannotAnswerARequestTheServerSentToAnother() throws Exception {
		McpHttpClient client = new McpHttpClient(port, "shared");
		String victim = client.open(Map.of("sampling", Map.of()));
		String attacker = client.open(Map.of("sampling", Map.of()));
		EventStream call = client.stream(victim, McpHttpClient.call(1, "ask", Map.of("text", "secret")));
		Map<String, Object> ask = call.next().message();
		assertThat(ask.get("method")).isEqualTo("sampling/createMessage");
		Map<String, Object> forged = Map.of("jsonrpc", "2.0", "id", ask.get("id"), "result",
				Map.of("role", "assistant", "model", "m", "content", Map.of("type", "text", "text", "FORGED")));
		assertThat(client.post(attacker, forged).status()).isEqualTo(202);
		Map<String, Object> own = Map.of("jsonrpc", "2.0", "id", ask.get("id"), "result",
				Map.of("role", "assistant", "model", "m", "content", Map.of("type", "text", "text", "OWN")));
		assertThat(client.post(victim, own).status()).isEqualTo(202);
		assertThat(call.next().message().toString()).contains("sampled=OWN").doesNotContain("FORGED");
		client.delete(victim);
		client.delete(attacker);
	}

	@Test
	void aServerRequestOnTheSharedProcessWithTwoSessionsWaitingIsAnsweredWithWhy() throws Exception {
		McpHttpClient client = new McpHttpClient(port, "shared");
		String busy = client.open(Map.of("sampling", Map.of()));
		String asking = client.open(Map.of("sampling", Map.of()));
		EventStream slow = client.stream(busy, McpHttpClient.call(1, "slow", Map.of("millis", 3000)));
		String text = client.callText(asking, 1, "ask", Map.of("text", "whose?"));
		assertThat(text).startsWith("sampled=error")
			.contains("no gateway session, or more than one, had a tool call in flight")
			.contains("keep-alive: false");
		slow.ended().get();
		client.delete(busy);
		client.delete(asking);
	}

	@Test
	void aSessionCannotResumeAnotherSessionsStream() throws Exception {
		McpHttpClient client = new McpHttpClient(port, "shared");
		String owner = client.open();
		String other = client.open();
		McpHttpClient.Response answered = client.post(owner, McpHttpClient.call(1, "echo", Map.of("text", "private")));
		String eventId = answered.events().get(0).id();
		EventStream resumed = client.get(other, "r0_0".equals(eventId) ? eventId : "r1_0");
		McpHttpClient.Response mine = client.post(other, McpHttpClient.call(2, "echo", Map.of("text", "public")));
		assertThat(mine.body()).contains("public");
		resumed.close();
		resumed.ended().get();
		assertThat(resumed.seen()).noneSatisfy((event) -> assertThat(event.data()).contains("private"));
		client.delete(owner);
		client.delete(other);
	}

	@Test
	void aBodyPastMaxMessageSizeGets413AndReachesNoProcess(CapturedOutput output) throws Exception {
		McpHttpClient client = new McpHttpClient(port, "shared");
		String session = client.open();
		McpHttpClient.Response response = client.post(session,
				McpHttpClient.call(1, "echo", Map.of("text", "x".repeat(20_000))));
		assertThat(response.status()).isEqualTo(413);
		assertThat(response.body()).contains("max-message-size 10000");
		assertThat(client.callText(session, 2, "echo", Map.of("text", "small"))).isEqualTo("small");
		assertThat(output.getOut()).containsOnlyOnce("call echo");
		client.delete(session);
	}

}
