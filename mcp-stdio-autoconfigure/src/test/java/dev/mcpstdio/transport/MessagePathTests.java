package dev.mcpstdio.transport;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import dev.mcpstdio.fixture.ClientFeaturesServer;
import dev.mcpstdio.fixture.FixtureServer;
import dev.mcpstdio.fixture.Fixtures;
import dev.mcpstdio.process.JavaCommand;
import dev.mcpstdio.process.ProcessLauncher;
import dev.mcpstdio.process.ProcessSpec;
import dev.mcpstdio.transport.observation.DefaultMcpServerRequestObservationConvention;
import dev.mcpstdio.transport.observation.McpClientObservations;
import dev.mcpstdio.transport.observation.McpServerRequestContext;
import dev.mcpstdio.transport.observation.RequestObserver;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.awaitility.Awaitility.await;

/**
 * The frame path of a connection, through the transport that wires it, under the MCP Java
 * SDK's own clients, against real fixture servers: answers matched to their callers, the
 * server's own requests answered, whatever a child writes on stdout, a write the child
 * refuses, requests that are overdue.
 */
class MessagePathTests {

	private final Transports transports = new Transports();

	@AfterEach
	void stopAll() {
		this.transports.stopAll();
	}

	@Test
	void concurrentCallersAreAllServedAndMatched() throws Exception {
		McpSyncClient client = Transports.client(this.transports.open(Fixtures.spec("busy")), Duration.ofSeconds(60));
		client.initialize();
		EchoLoad.Result result = EchoLoad.run(client, 8, 1000);
		System.out.println("concurrency: " + result);
		assertThat(result.failures()).isZero();
		assertThat(result.mismatches()).isZero();
	}

	@Test
	void writeToAChildThatClosedItsStdinFailsWithItsExitRatherThanTheWrite() {
		// it closes stdin, says why on stderr, and exits 300 ms later: the write, made
		// once it has said so, fails while it still runs
		ProcessSpec spec = ProcessSpec
			.command("closing", "/bin/sh", List.of("-c", "exec 0<&-; echo 'no config found' >&2; sleep 0.3; exit 3"))
			.build();
		ManagedStdioTransport transport = this.transports.open(spec);
		transport.connect((messages) -> messages.then(Mono.empty())).block();
		await().atMost(Duration.ofSeconds(10)).until(() -> transport.stderrTail().contains("no config found"));
		assertThatException()
			.isThrownBy(() -> transport
				.sendMessage(new McpSchema.JSONRPCRequest(McpSchema.JSONRPC_VERSION, "ping", "p-1", null))
				.block())
			.withMessageContaining("MCP server 'closing'")
			.withMessageContaining("exited with code 3")
			.withMessageContaining("no config found");
	}

	@Test
	void nonJsonLinesOnStdoutAreCountedAndTheConnectionGoesOn() {
		ManagedStdioTransport transport = this.transports.open(Fixtures.spec("garbage"));
		McpSyncClient client = Transports.client(transport, Duration.ofSeconds(30));
		client.initialize();
		assertThat(Transports.text(client.callTool(new CallToolRequest("garbage", Map.of()))))
			.isEqualTo("after garbage");
		assertThat(transport.invalidLineCount()).isEqualTo(3);
		assertThat(Transports.text(client.callTool(new CallToolRequest("echo", Map.of("text", "still here")))))
			.isEqualTo("still here");
	}

	@Test
	void aFailingObserverNeverStopsTheConnection() {
		// it notes each call before it throws: the calls that throw are known
		List<String> completed = new CopyOnWriteArrayList<>();
		AtomicInteger invalidLines = new AtomicInteger();
		RequestObserver failing = new RequestObserver() {
			@Override
			public void requestCompleted(String server, String method, Duration duration, Outcome outcome) {
				completed.add(method + " " + outcome);
				throw new IllegalStateException("observer broken");
			}

			@Override
			public void invalidLine(String server) {
				invalidLines.incrementAndGet();
				throw new IllegalStateException("observer broken");
			}
		};
		ManagedStdioTransport transport = new ManagedStdioTransport(ProcessLauncher.shared(), Fixtures.spec("observed"),
				Transports.OPTIONS, McpJsonDefaults.getMapper(), failing);
		this.transports.add(transport);
		McpSyncClient client = Transports.client(transport, Duration.ofSeconds(30));
		client.initialize();
		assertThat(Transports.text(client.callTool(new CallToolRequest("garbage", Map.of()))))
			.isEqualTo("after garbage");
		// the observer is told on the reader's thread before the answer is passed on: it
		// has thrown for the initialize, the three lines and the call by now
		assertThat(completed).containsExactly("initialize SUCCESS", "tools/call SUCCESS");
		assertThat(invalidLines).hasValue(3);
		assertThat(Transports.text(client.callTool(new CallToolRequest("echo", Map.of("text", "on"))))).isEqualTo("on");
		assertThat(completed).containsExactly("initialize SUCCESS", "tools/call SUCCESS", "tools/call SUCCESS");
		assertThat(transport.invalidLineCount()).isEqualTo(3);
		assertThat(transport.isConnected()).isTrue();
	}

	@Test
	void hostileStdoutIsCountedAndDroppedAndTheConnectionGoesOn() {
		ManagedStdioTransport transport = this.transports.open(Fixtures.spec("noisy"),
				Transports.OPTIONS.withMaxMessageSize(64 * 1024));
		McpSyncClient client = Transports.client(transport, Duration.ofSeconds(30));
		client.initialize();
		long pid = transport.pid();
		for (int seed = 1; seed <= 3; seed++) {
			assertThat(Transports.text(client.callTool(new CallToolRequest("noise", Map.of("seed", seed)))))
				.isEqualTo("after noise");
		}
		assertThat(transport.invalidLineCount()).isEqualTo(3L * FixtureServer.NOISE_INVALID_LINES);
		assertThat(transport.oversizedMessageCount()).isEqualTo(3);
		assertThat(Transports.text(client.callTool(new CallToolRequest("echo", Map.of("text", "still here")))))
			.isEqualTo("still here");
		assertThat(transport.isConnected()).isTrue();
		assertThat(transport.pid()).isEqualTo(pid);
		assertThat(transport.inFlightCount()).isZero();
	}

	@Test
	void messageOverMaxMessageSizeIsDroppedAndTheConnectionGoesOn() {
		ManagedStdioTransport transport = this.transports.open(Fixtures.spec("big"),
				Transports.OPTIONS.withMaxMessageSize(64 * 1024));
		McpSyncClient client = Transports.client(transport, Duration.ofSeconds(60));
		client.initialize();
		assertThat(Transports.text(client.callTool(new CallToolRequest("big", Map.of("bytes", 1000))))).hasSize(1000);
		// failed by the dropped answer (not by a timeout, whose message would name it)
		assertThatException().isThrownBy(() -> client.callTool(new CallToolRequest("big", Map.of("bytes", 200_000))))
			.withMessageContaining("MCP server 'big' answered request 'tools/call' of tool 'big' with a message of 200")
			.withMessageContaining("over max-message-size 65536");
		assertThat(transport.oversizedMessageCount()).isEqualTo(1);
		assertThat(Transports.text(client.callTool(new CallToolRequest("echo", Map.of("text", "after")))))
			.isEqualTo("after");
	}

	@Test
	void overdueRequestFailsWithServerMethodAndTimeout() {
		// echo, which must answer, has a timeout of its own that a busy machine cannot
		// reach
		ManagedStdioTransport transport = this.transports.open(Fixtures.spec("overdue"),
				Transports.OPTIONS.withRequestTimeout(Duration.ofMillis(500))
					.withTools(new ToolPolicy(List.of(), List.of(), Map.of("echo", Duration.ofSeconds(30)))));
		McpSyncClient client = Transports.client(transport, Duration.ofSeconds(60));
		client.initialize();
		long started = System.nanoTime();
		assertThatException().isThrownBy(() -> client.callTool(new CallToolRequest("slow", Map.of("millis", 20_000))))
			.withMessageContaining(
					"MCP server 'overdue' did not answer request 'tools/call' of tool 'slow' within request-timeout PT0.5S");
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(15));
		assertThat(transport.inFlightCount()).isZero();
		assertThat(Transports.text(client.callTool(new CallToolRequest("echo", Map.of("text", "next")))))
			.isEqualTo("next");
	}

	@Test
	void requestsOfTheServersAreAnsweredThroughThePathEachObservedUntilItsAnswerLeaves() {
		TestObservationRegistry registry = TestObservationRegistry.create();
		List<String> jvmArgs = new ArrayList<>(Fixtures.JVM_ARGS);
		jvmArgs.add("-Dlogback.configurationFile=logback-fixture.xml");
		ProcessSpec spec = ProcessSpec
			.java("asker", JavaCommand.mainClass(ClientFeaturesServer.class.getName(), jvmArgs), List.of())
			.build();
		ManagedStdioTransport transport = new ManagedStdioTransport(ProcessLauncher.shared(), spec, Transports.OPTIONS,
				McpJsonDefaults.getMapper(), RequestObserver.NONE, new McpClientObservations(registry, null));
		this.transports.add(transport);
		McpSyncClient client = McpClient.sync(transport)
			.requestTimeout(Duration.ofSeconds(30))
			.initializationTimeout(Duration.ofSeconds(30))
			.capabilities(McpSchema.ClientCapabilities.builder().sampling().roots(true).build())
			.roots(new McpSchema.Root("file:///data", "data"))
			.sampling((request) -> McpSchema.CreateMessageResult
				.builder(McpSchema.Role.ASSISTANT,
						((TextContent) request.messages().get(0).content()).text().toUpperCase(), "model")
				.build())
			.build();
		client.initialize();
		assertThat(Transports.text(client.callTool(new CallToolRequest("ask", Map.of("text", "hello")))))
			.isEqualTo("sampled=HELLO;roots=1");
		// the sampling and the roots: each ended, a success, when the client's answer
		// left
		assertThat(registry)
			.hasNumberOfObservationsWithNameEqualTo(DefaultMcpServerRequestObservationConvention.NAME, 2)
			.hasHandledContextsThatSatisfy(
					(contexts) -> assertThat(contexts).filteredOn(McpServerRequestContext.class::isInstance)
						.map((context) -> ((McpServerRequestContext) context).getOutcome())
						.containsExactly("success", "success"));
	}

}
