package dev.mcpstdio.gateway;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.mcpstdio.gateway.McpHttpClient.Event;
import dev.mcpstdio.gateway.McpHttpClient.EventStream;
import dev.mcpstdio.gateway.McpHttpClient.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The gateway over real HTTP, with real fixture servers: {@code own} has a process per
 * session, {@code shared} one process for every session.
 */
@ExtendWith(OutputCaptureExtension.class)
class GatewayTests {

	private static ConfigurableApplicationContext context;

	private static int port;

	@BeforeAll
	static void start() {
		List<String> properties = new ArrayList<>();
		properties.addAll(
				GatewayTestApplication.fixture("own", "keep-alive=false", "pool.min-idle=1", "args=--record-calls"));
		properties.addAll(GatewayTestApplication.fixture("shared", "tools.exclude=env", "args=--record-calls"));
		context = GatewayTestApplication.start(properties);
		port = GatewayTestApplication.port(context);
	}

	@AfterAll
	static void stop() {
		context.close();
	}

	private static McpHttpClient client(String server) {
		return new McpHttpClient(port, server);
	}

	@Test
	void sixteenSessionsOnTheSharedProcessSendTheSameIdsAndEachGetsItsOwnAnswers() throws Exception {
		McpHttpClient client = client("shared");
		List<String> sessions = new ArrayList<>();
		for (int i = 0; i < 16; i++) {
			sessions.add(client.open());
		}
		ExecutorService callers = Executors.newFixedThreadPool(16);
		try {
			List<Future<String>> answers = new ArrayList<>();
			for (int round = 0; round < 4; round++) {
				for (int i = 0; i < 16; i++) {
					String session = sessions.get(i);
					String text = "session " + i + " round " + round;
					int id = round;
					answers.add(callers
						.submit(() -> client.callText(session, id, "echo", Map.of("text", text)) + " <- " + text));
				}
			}
			int crossed = 0;
			for (Future<String> answer : answers) {
				String[] parts = answer.get().split(" <- ");
				crossed += parts[0].equals(parts[1]) ? 0 : 1;
			}
			assertThat(crossed).as("answers that reached another session").isZero();
			Set<String> pids = ConcurrentHashMap.newKeySet();
			for (String session : sessions) {
				pids.add(client.callText(session, 4, "pid", Map.of()));
			}
			assertThat(pids).as("one process for every session").hasSize(1);
		}
		finally {
			callers.shutdownNow();
			sessions.forEach((session) -> delete(client, session));
		}
	}

	@Test
	void eachSessionOfAPerSessionServerHasAProcessOfItsOwnWhichDeleteStops() throws Exception {
		McpHttpClient client = client("own");
		String first = client.open();
		String second = client.open();
		long firstPid = Long.parseLong(client.callText(first, 1, "pid", Map.of()));
		long secondPid = Long.parseLong(client.callText(second, 1, "pid", Map.of()));
		assertThat(firstPid).isNotEqualTo(secondPid);
		assertThat(client.delete(first).status()).isEqualTo(200);
		await().atMost(Duration.ofSeconds(20)).until(() -> ProcessHandle.of(firstPid).isEmpty());
		assertThat(client.post(first, McpHttpClient.call(2, "pid", Map.of())).status())
			.as("an ended session is unknown")
			.isEqualTo(404);
		assertThat(ProcessHandle.of(secondPid)).as("the other session's process").isPresent();
		client.delete(second);
		await().atMost(Duration.ofSeconds(20)).until(() -> ProcessHandle.of(secondPid).isEmpty());
	}

	@Test
	void aRequestWithoutASessionGets400AndOneWithAnUnknownSession404() throws Exception {
		McpHttpClient client = client("own");
		Response missing = client.post(null, McpHttpClient.call(1, "pid", Map.of()));
		assertThat(missing.status()).isEqualTo(400);
		assertThat(missing.body()).contains("Mcp-Session-Id");
		Response unknown = client.post("vm.AAAAAAAAAAAAAAAAAAAAAAAAAAA", McpHttpClient.call(1, "pid", Map.of()));
		assertThat(unknown.status()).isEqualTo(404);
		assertThat(client.delete("nobody.x").status()).isEqualTo(404);
		String session = client.open();
		assertThat(client("shared").post(session, McpHttpClient.call(1, "pid", Map.of())).status())
			.as("a session of another server's")
			.isEqualTo(404);
		delete(client, session);
	}

	@Test
	void sessionIdsNameTheInstanceAndCarryAtLeast128RandomBits() throws Exception {
		McpHttpClient client = client("shared");
		String session = client.open();
		String[] parts = session.split("\\.");
		assertThat(parts).hasSize(2);
		assertThat(parts[1]).matches("[A-Za-z0-9_-]{27,}");
		delete(client, session);
	}

	@Test
	void aForeignHostOrOriginGets403AndOpensNoSession() throws Exception {
		McpHttpClient client = client("own");
		String host = RawHttp.post(port, "/mcp/own", "evil.example.com", null, McpHttpClient.initialize(Map.of()));
		assertThat(host).startsWith("HTTP/1.1 403")
			.contains("Invalid Host: evil.example.com")
			.contains("allowed-hosts")
			.doesNotContain("Mcp-Session-Id");
		String rebound = RawHttp.post(port, "/mcp/own", "localhost:" + port, "http://evil.example.com",
				McpHttpClient.initialize(Map.of()));
		assertThat(rebound).startsWith("HTTP/1.1 403").contains("allowed-origins");
		Response local = client.post(null, McpHttpClient.initialize(Map.of()), "Origin", "http://localhost:" + port);
		assertThat(local.status()).isEqualTo(200);
		delete(client, local.header("Mcp-Session-Id"));
	}

	@Test
	void anUnsupportedProtocolVersionGets400ThatListsTheSupportedOnes() throws Exception {
		McpHttpClient client = client("shared");
		String session = client.open();
		Response response = client.post(session, McpHttpClient.call(1, "pid", Map.of()), "MCP-Protocol-Version",
				"2026-07-28");
		assertThat(response.status()).isEqualTo(400);
		Map<?, ?> error = (Map<?, ?>) response.json().get("error");
		assertThat(error.get("message").toString()).contains("Unsupported protocol version");
		assertThat(((Map<?, ?>) error.get("data")).get("supported"))
			.isEqualTo(List.of("2025-03-26", "2025-06-18", "2025-11-25"));
		assertThat(client.post(session, McpHttpClient.call(2, "pid", Map.of()), "MCP-Protocol-Version", "2025-03-26")
			.status()).as("any revision it speaks, whatever the session negotiated").isEqualTo(200);
		delete(client, session);
	}

	@Test
	void aBodyThatIsNotJsonRpcGets400AndReachesNoProcess(CapturedOutput output) throws Exception {
		McpHttpClient client = client("shared");
		String session = client.open();
		assertThat(client.post(session, "this is not JSON").status()).isEqualTo(400);
		assertThat(client.post(session, "{\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"echo\"}}").status())
			.as("no jsonrpc 2.0")
			.isEqualTo(400);
		assertThat(client
			.post(session,
					"[" + McpHttpClient.json
						.writeValueAsString(McpHttpClient.call(1, "echo", Map.of("text", "batched"))) + "]")
			.status()).as("a batch").isEqualTo(400);
		assertThat(client.callText(session, 2, "echo", Map.of("text", "after"))).isEqualTo("after");
		assertThat(output.getOut()).doesNotContain("batched");
		delete(client, session);
	}

	@Test
	void aHiddenToolIsAbsentAndItsCallRefused(CapturedOutput output) throws Exception {
		McpHttpClient client = client("shared");
		String session = client.open();
		Map<String, Object> list = client.answer(session, McpHttpClient.request(1, "tools/list", Map.of()));
		assertThat(list.toString()).contains("name=echo").doesNotContain("name=env");
		Map<String, Object> refused = client.answer(session, McpHttpClient.call(2, "env", Map.of("name", "HOME")));
		assertThat(refused.get("error").toString()).contains("tool 'env' is");
		assertThat(output.getOut()).doesNotContain("call env");
		delete(client, session);
	}

	@Test
	void progressReachesTheCallersStreamWithItsOwnTokenAheadOfTheAnswer() throws Exception {
		for (String server : List.of("own", "shared")) {
			McpHttpClient client = client(server);
			String session = client.open();
			Response response = client.post(session, McpHttpClient.request(7, "tools/call", Map.of("name", "progress",
					"arguments", Map.of("millis", 300, "every", 100), "_meta", Map.of("progressToken", "mine-1"))));
			List<Event> events = response.events();
			assertThat(events).hasSize(4);
			for (Event progress : events.subList(0, 3)) {
				Map<?, ?> params = (Map<?, ?>) progress.message().get("params");
				assertThat(params.get("progressToken")).as(server).isEqualTo("mine-1");
			}
			Map<String, Object> answer = events.get(3).message();
			assertThat(answer.get("id")).isEqualTo(7);
			assertThat(answer.toString()).as("the token the process saw")
				.contains(server.equals("shared") ? "token gw-progress-" : "token mine-1");
			assertThat(events).allSatisfy((event) -> assertThat(event.id()).isNotBlank());
			delete(client, session);
		}
	}

	@Test
	void samplingGoesToTheClientOnTheCallsStreamAndItsAnswerBackToTheProcess() throws Exception {
		McpHttpClient client = client("own");
		String session = client.open(Map.of("sampling", Map.of()));
		EventStream stream = client.stream(session, McpHttpClient.call(3, "ask", Map.of("text", "hello")));
		Map<String, Object> ask = stream.next().message();
		assertThat(ask.get("method")).isEqualTo("sampling/createMessage");
		Map<String, Object> answer = Map.of("jsonrpc", "2.0", "id", ask.get("id"), "result",
				Map.of("role", "assistant", "model", "test", "content", Map.of("type", "text", "text", "HELLO")));
		assertThat(client.post(session, answer).status()).isEqualTo(202);
		Map<String, Object> result = stream.next().message();
		assertThat(result.get("id")).isEqualTo(3);
		assertThat(result.toString()).contains("sampled=HELLO");
		delete(client, session);
	}

	@Test
	void aClientWithoutSamplingIsNotAskedAndTheServerIsToldWhy() throws Exception {
		McpHttpClient client = client("own");
		String session = client.open();
		String text = client.callText(session, 3, "ask", Map.of("text", "hello"));
		assertThat(text).contains("did not declare the 'sampling' capability");
		delete(client, session);
	}

	@Test
	void aClientsCancellationReachesTheProcessUnderItsOwnId(CapturedOutput output) throws Exception {
		McpHttpClient client = client("shared");
		String session = client.open();
		EventStream stream = client.stream(session, McpHttpClient.call(9, "slow", Map.of("millis", 20000)));
		await().atMost(Duration.ofSeconds(10)).until(() -> output.getOut().contains("call slow"));
		Response cancelled = client.post(session, Map.of("jsonrpc", "2.0", "method", "notifications/cancelled",
				"params", Map.of("requestId", 9, "reason", "the user gave up")));
		assertThat(cancelled.status()).isEqualTo(202);
		await().atMost(Duration.ofSeconds(10))
			.until(() -> output.getOut().matches("(?s).*cancelled gw-\\d+: the user gave up.*"));
		stream.ended().get();
		delete(client, session);
	}

	@Test
	void aGetStreamResumedWithLastEventIdReplaysWhatFollowed() throws Exception {
		McpHttpClient client = client("own");
		String session = client.open();
		EventStream first = client.get(session, null);
		// a client that accepts JSON only: the call's progress goes to the GET stream
		Response json = client.post(session,
				McpHttpClient.request(4, "tools/call", Map.of("name", "progress", "arguments",
						Map.of("millis", 300, "every", 100), "_meta", Map.of("progressToken", "t"))),
				"Accept", "application/json");
		assertThat(json.status()).isEqualTo(200);
		assertThat(json.json().get("id")).isEqualTo(4);
		List<Event> seen = List.of(first.next(), first.next(), first.next());
		first.close();
		EventStream resumed = client.get(session, seen.get(0).id());
		assertThat(List.of(resumed.next(), resumed.next())).isEqualTo(seen.subList(1, 3));
		resumed.close();
		assertThat(seen).allSatisfy((event) -> assertThat(event.id()).startsWith("g_"));
		delete(client, session);
	}

	@Test
	void aProcessThatExitsEndsItsSessions() throws Exception {
		McpHttpClient client = client("own");
		String session = client.open();
		long pid = Long.parseLong(client.callText(session, 1, "pid", Map.of()));
		client.post(session, McpHttpClient.call(2, "die", Map.of("code", 3)));
		await().atMost(Duration.ofSeconds(20)).until(() -> ProcessHandle.of(pid).isEmpty());
		await().atMost(Duration.ofSeconds(20))
			.until(() -> client.post(session, McpHttpClient.call(3, "pid", Map.of())).status() == 404);
	}

	private static void delete(McpHttpClient client, String session) {
		try {
			client.delete(session);
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	static <T> T quietly(Callable<T> call) {
		try {
			return call.call();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

}
