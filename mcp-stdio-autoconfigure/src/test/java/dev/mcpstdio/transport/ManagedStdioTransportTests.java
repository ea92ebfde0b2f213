package dev.mcpstdio.transport;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.mcpstdio.fixture.Fixtures;
import dev.mcpstdio.process.ProcessSpec;
import dev.mcpstdio.process.StopReport;
import dev.mcpstdio.process.StopStep;
import dev.mcpstdio.process.StopTimeouts;
import dev.mcpstdio.process.platform.ProcessTree;
import dev.mcpstdio.transport.pipe.LogLevel;
import io.modelcontextprotocol.client.McpAsyncClient;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * The transport's life (connect, send, close) under the MCP Java SDK's own clients,
 * against real fixture servers.
 */
class ManagedStdioTransportTests {

	private final Transports transports = new Transports();

	/** Callers of their own: the common pool may have one thread only. */
	private final ExecutorService callers = Executors.newCachedThreadPool();

	@AfterEach
	void stopAll() {
		this.transports.stopAll();
		this.callers.shutdownNow();
	}

	@Test
	void callToolRoundTripsThroughChild() {
		McpSyncClient client = Transports.client(this.transports.open(Fixtures.spec("echo")), Duration.ofSeconds(30));
		assertThat(client.initialize().serverInfo().name()).isEqualTo("fixture");
		assertThat(Transports.text(client.callTool(new CallToolRequest("echo", Map.of("text", "hello")))))
			.isEqualTo("hello");
	}

	@Test
	void asyncClientWorksUnchanged() {
		McpAsyncClient client = McpClient.async(this.transports.open(Fixtures.spec("async")))
			.requestTimeout(Duration.ofSeconds(30))
			.initializationTimeout(Duration.ofSeconds(30))
			.build();
		client.initialize().block();
		assertThat(Transports.text(client.callTool(new CallToolRequest("echo", Map.of("text", "async"))).block()))
			.isEqualTo("async");
	}

	@Test
	void childExitMidRequestFailsEveryRequestInFlightAtOnce() throws Exception {
		ManagedStdioTransport transport = this.transports.open(Fixtures.spec("dying"));
		McpSyncClient client = Transports.client(transport, Duration.ofSeconds(60));
		client.initialize();
		List<CompletableFuture<CallToolResult>> slow = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			slow.add(CompletableFuture.supplyAsync(
					() -> client.callTool(new CallToolRequest("slow", Map.of("millis", 50_000))), this.callers));
		}
		await().atMost(Duration.ofSeconds(10)).until(() -> transport.inFlightCount() == 3);
		long started = System.nanoTime();
		assertThatException().isThrownBy(() -> client.callTool(new CallToolRequest("die", Map.of("code", 3))))
			.withMessageContaining("MCP server 'dying'")
			.withMessageContaining("exited with code 3")
			.withMessageContaining("last words 3");
		for (CompletableFuture<CallToolResult> call : slow) {
			assertThatException().isThrownBy(call::join)
				.withMessageContaining("exited with code 3 while request 'tools/call' of tool 'slow' was in flight")
				.withMessageContaining("last words 1");
		}
		long millis = Duration.ofNanos(System.nanoTime() - started).toMillis();
		System.out.printf("child exit mid-request: 4 requests failed %d ms after the exit began%n", millis);
		assertThat(millis).as("no request waits for its 60 s timeout").isLessThan(30_000);
		assertThat(transport.terminalError()).isNotNull();
		assertThat(transport.terminalError().getExitCode()).isEqualTo(3);
		assertThat(transport.terminalError().getStderrTail()).endsWith("last words 1", "last words 2", "last words 3");
		assertThatException().isThrownBy(() -> client.callTool(new CallToolRequest("echo", Map.of("text", "x"))))
			.withMessageContaining("MCP server 'dying'");
	}

	@Test
	void stderrFloodNeverBlocksTheChild() {
		ManagedStdioTransport transport = this.transports.open(Fixtures.spec("flood"),
				Transports.OPTIONS.withStderr(LogLevel.OFF, 5));
		McpSyncClient client = Transports.client(transport, Duration.ofSeconds(60));
		client.initialize();
		long started = System.nanoTime();
		String flooded = Transports
			.text(client.callTool(new CallToolRequest("flood", Map.of("bytes", 100L * 1024 * 1024))));
		assertThat(flooded).startsWith("flooded 104857600 in ");
		long millis = Duration.ofNanos(System.nanoTime() - started).toMillis();
		System.out.printf("stderr flood: 100 MB, the call answered in %d ms (%s)%n", millis, flooded);
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(transport.stderrTail()).hasSize(5).allMatch((l) -> l.startsWith("flood")));
		assertThat(Transports.text(client.callTool(new CallToolRequest("echo", Map.of("text", "after")))))
			.isEqualTo("after");
	}

	@Test
	void stopRunsTheLadderOnStubbornChildAndLeavesNoThread() {
		ManagedStdioTransport transport = this.transports.open(Fixtures.stubborn("stubborn"));
		McpSyncClient client = Transports.client(transport, Duration.ofSeconds(30));
		client.initialize();
		long pid = transport.pid();
		Set<ProcessHandle> tree = awaitTree(pid);
		StopReport report = stop(transport);
		assertLadderEndedAtSigkill(report);
		assertThat(tree).noneMatch(ProcessTree::isRunning);
		await().atMost(Duration.ofSeconds(5)).until(() -> Fixtures.threadsNamed("mcp-stdio-stubborn-").isEmpty());
		System.out.printf("transport stop of stubborn child with grandchild: %d ms%n", report.duration().toMillis());
	}

	@Test
	void stopReturnsWhileAWriterIsBlockedOnAFullPipe() throws Exception {
		ManagedStdioTransport transport = this.transports.open(Fixtures.spec("deaf", "--never-read", "--ignore-term"));
		transport.connect((messages) -> messages).block();
		String big = "y".repeat(1024 * 1024);
		CompletableFuture<Thread> writing = new CompletableFuture<>();
		Future<?> writer = this.callers.submit(() -> {
			writing.complete(Thread.currentThread());
			transport
				.sendMessage(new McpSchema.JSONRPCNotification(McpSchema.JSONRPC_VERSION, "notifications/message",
						Map.of("data", big)))
				.block();
		});
		// the writer fills the 64 KB pipe and blocks in the write, holding the stream's
		// lock
		Thread thread = writing.get();
		await().atMost(Duration.ofSeconds(10)).until(() -> blockedInAWrite(thread));
		assertThat(writer).isNotDone();
		// the stop returns though the writer holds the stream's lock
		StopReport report = stop(transport);
		assertLadderEndedAtSigkill(report);
		assertThat(ProcessHandle.of(report.pid()).filter(ProcessTree::isRunning)).isEmpty();
		await().atMost(Duration.ofSeconds(5)).until(writer::isDone);
	}

	@Test
	void closeGracefullyOfClientStopsTheChild() {
		ManagedStdioTransport transport = this.transports.open(Fixtures.spec("graceful"));
		McpSyncClient client = Transports.client(transport, Duration.ofSeconds(30));
		client.initialize();
		ProcessHandle child = ProcessHandle.of(transport.pid()).orElseThrow();
		assertThat(client.closeGracefully()).isTrue();
		await().atMost(Duration.ofSeconds(5)).until(() -> !child.isAlive());
		assertThat(transport.whenStopped().join().step()).isEqualTo(StopStep.EOF);
		await().atMost(Duration.ofSeconds(5)).until(() -> Fixtures.threadsNamed("mcp-stdio-graceful-").isEmpty());
	}

	@Test
	void stopDrainsRequestsInFlightAndRefusesNewOnes() throws Exception {
		ManagedStdioTransport transport = this.transports.open(Fixtures.spec("drain"),
				Transports.OPTIONS.withStopTimeouts(Duration.ofSeconds(20), Transports.OPTIONS.stopTimeouts()));
		McpSyncClient client = Transports.client(transport, Duration.ofSeconds(30));
		client.initialize();
		CompletableFuture<CallToolResult> slow = CompletableFuture
			.supplyAsync(() -> client.callTool(new CallToolRequest("slow", Map.of("millis", 3000))), this.callers);
		await().atMost(Duration.ofSeconds(10)).until(() -> transport.inFlightCount() == 1);
		CompletableFuture<StopReport> stop = CompletableFuture.supplyAsync(transport::stop, this.callers);
		await().atMost(Duration.ofSeconds(5)).until(() -> !transport.isConnected());
		assertThatException().isThrownBy(() -> client.callTool(new CallToolRequest("echo", Map.of("text", "late"))))
			.withMessageContaining("MCP server 'drain' is stopping and refuses new requests");
		assertThat(Transports.text(slow.get())).isEqualTo("slept 3000");
		assertThat(stop.get().step()).isEqualTo(StopStep.EOF);
	}

	@Test
	void serverThatNeverAnswersInitializeTimesOutAndStops() {
		ManagedStdioTransport transport = this.transports.open(Fixtures.spec("mute", "--never-initialize"));
		McpSyncClient client = McpClient.sync(transport)
			.requestTimeout(Duration.ofSeconds(1))
			.initializationTimeout(Duration.ofSeconds(1))
			.build();
		assertThatException().isThrownBy(client::initialize);
		ProcessHandle child = ProcessHandle.of(transport.pid()).orElseThrow();
		assertThat(transport.stop().step()).isEqualTo(StopStep.EOF);
		assertThat(child.isAlive()).isFalse();
	}

	@Test
	void launchFailureFailsInitializeWithClearMessage() {
		ProcessSpec spec = ProcessSpec.command("missing", "no-such-mcp-server", List.of()).build();
		McpSyncClient client = Transports.client(this.transports.open(spec), Duration.ofSeconds(5));
		assertThatException().isThrownBy(client::initialize)
			.withStackTraceContaining("MCP server 'missing': command 'no-such-mcp-server' was not found on PATH");
	}

	@Test
	void envValuesNeverAppearInStderrTailOrErrors() {
		ProcessSpec spec = Fixtures.builder("secretive").env(Map.of("API_TOKEN", "tok-very-secret-42")).build();
		ManagedStdioTransport transport = this.transports.open(spec);
		McpSyncClient client = Transports.client(transport, Duration.ofSeconds(30));
		client.initialize();
		client.callTool(new CallToolRequest("env", Map.of("name", "API_TOKEN")));
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(transport.stderrTail()).contains("env API_TOKEN=******"));
		assertThatException().isThrownBy(() -> client.callTool(new CallToolRequest("die", Map.of("code", 1))))
			.withMessageContaining("env API_TOKEN=******")
			.withMessageNotContaining("tok-very-secret-42");
	}

	/**
	 * Stops: with nothing in flight there is no drain, and every wait of the ladder has
	 * its deadline, so a stop that does not return 30 s after them hangs.
	 */
	private static StopReport stop(ManagedStdioTransport transport) {
		return assertTimeoutPreemptively(Transports.OPTIONS.stopTimeouts().bound().plusSeconds(30), transport::stop);
	}

	/**
	 * The ladder's steps one after the other: SIGKILL once EOF and SIGTERM had their
	 * time.
	 */
	private static void assertLadderEndedAtSigkill(StopReport report) {
		StopTimeouts timeouts = Transports.OPTIONS.stopTimeouts();
		assertThat(report.step()).isEqualTo(StopStep.SIGKILL);
		assertThat(report.duration()).isGreaterThanOrEqualTo(timeouts.eof().plus(timeouts.term()));
		assertThat(report.survivors()).isZero();
	}

	private static Set<ProcessHandle> awaitTree(long pid) {
		ProcessHandle child = ProcessHandle.of(pid).orElseThrow();
		await().atMost(Duration.ofSeconds(20)).until(() -> child.descendants().findAny().isPresent());
		Set<ProcessHandle> tree = new java.util.HashSet<>();
		tree.add(child);
		child.descendants().forEach(tree::add);
		return tree;
	}

	/** Whether the thread is inside a native write to a pipe. */
	private static boolean blockedInAWrite(Thread thread) {
		StackTraceElement[] stack = thread.getStackTrace();
		return stack.length > 0 && stack[0].isNativeMethod() && stack[0].getMethodName().startsWith("write");
	}

}
