package dev.mcpstdio.transport;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import dev.mcpstdio.process.ProcessLauncher;
import dev.mcpstdio.process.ProcessSpec;
import dev.mcpstdio.process.StopReport;
import dev.mcpstdio.process.StopTimeouts;
import dev.mcpstdio.process.platform.ProcessTree;
import dev.mcpstdio.transport.ConnectionState.State;
import dev.mcpstdio.transport.error.McpStdioExitedException;
import dev.mcpstdio.transport.inflight.ErrorResponses;
import dev.mcpstdio.transport.inflight.InFlightRequests;
import dev.mcpstdio.transport.observation.RequestObserver;
import dev.mcpstdio.transport.pipe.ChildPipes;
import dev.mcpstdio.transport.pipe.LineReader;
import dev.mcpstdio.transport.pipe.LogLevel;
import dev.mcpstdio.transport.pipe.Redactor;
import dev.mcpstdio.transport.pipe.StderrSink;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.awaitility.Awaitility.await;

/**
 * The child of a connection, real processes launched by the shared launcher: its launch,
 * its stdout read line by line, its exit and the close of its stdout told to the
 * connection's end.
 */
class ConnectionChildTests {

	private static final StdioTransportOptions OPTIONS = StdioTransportOptions.defaults()
		.withStopTimeouts(Duration.ofSeconds(2), new StopTimeouts(Duration.ofMillis(600), Duration.ofSeconds(2)));

	private final ConnectionState state = new ConnectionState();

	private final InFlightRequests inFlight = new InFlightRequests("child", RequestObserver.NONE);

	private final StderrSink stderr = new StderrSink("child", LogLevel.OFF, 10, new Redactor(List.of()));

	private final ConnectionEnd end = new ConnectionEnd("child", OPTIONS, this.state, this.inFlight, this.stderr,
			new ErrorResponses("child"), (message) -> {
			});

	private final List<String> lines = new CopyOnWriteArrayList<>();

	private final LineReader.Listener stdout = new LineReader.Listener() {

		@Override
		public void onLine(byte[] bytes, int length) {
			ConnectionChildTests.this.lines.add(new String(bytes, 0, length, StandardCharsets.UTF_8));
		}

		@Override
		public void onOversizedLine(String start, long length) {
			ConnectionChildTests.this.lines.add("oversized " + length);
		}

	};

	private @Nullable ConnectionChild child;

	@AfterEach
	void stop() {
		// a child still connected is stopped as its transport would stop it
		if (this.child != null && this.state.leaveConnected(State.STOPPING)) {
			ChildPipes pipes = this.child.pipes();
			this.end.stop(pipes.child(), pipes, Duration.ZERO);
		}
	}

	@Test
	void nothingIsKnownOfTheChildBeforeItIsLaunched() {
		ConnectionChild child = child(shell("unlaunched", "exit 0"));
		assertThat(child.pid()).isEqualTo(-1);
		assertThat(child.exitCode()).isEmpty();
		assertThat(child.container()).isEmpty();
		assertThat(child.sandbox()).isEmpty();
		assertThatException().isThrownBy(child::pipes).withMessage("MCP server 'unlaunched' is not connected");
	}

	@Test
	void launchOfACommandNotOnThePathEndsTheConnectionWithTheLaunchersMessage() {
		ConnectionChild child = child(ProcessSpec.command("missing", "no-such-mcp-server", List.of()).build());
		assertThat(this.state.starting()).isTrue();
		assertThatException().isThrownBy(child::launch)
			.withMessageContaining("command 'no-such-mcp-server' was not found on PATH");
		assertThat(this.end.terminalError()).hasMessageContaining("command 'no-such-mcp-server' was not found on PATH");
		assertThat(this.state.get()).isEqualTo(State.CLOSED);
		assertThat(this.end.stopped()).isDone();
	}

	@Test
	void eachLineOfStdoutReachesTheListener() {
		ConnectionChild child = connected(shell("talker", "printf 'one\\ntwo\\n'; exec sleep 30"));
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(this.lines).containsExactly("one", "two"));
		assertThat(child.pid()).isPositive();
		assertThat(child.sandbox()).isPresent();
	}

	@Test
	void exitOfTheChildIsToldToTheConnectionsEndWithItsCodeAndStderr() throws Exception {
		ConnectionChild child = connected(shell("quitter", "echo 'last words' >&2; exit 3"));
		StopReport report = this.end.stopped().get(10, TimeUnit.SECONDS);
		assertThat(report.exitCode()).isEqualTo(3);
		assertThat(this.state.get()).isEqualTo(State.EXITED);
		assertThat(this.end.terminalError()).isInstanceOf(McpStdioExitedException.class)
			.hasMessageContaining("MCP server 'child' exited with code 3")
			.hasMessageContaining("last words");
		assertThat(child.exitCode()).hasValue(3);
	}

	@Test
	void childThatClosesItsStdoutButRunsOnIsStopped() throws Exception {
		// it closes its stdout once told to, when the connection is up
		ConnectionChild child = connected(shell("mute", "read go; exec 1>&-; exec sleep 30"));
		long pid = child.pid();
		child.pipes().writeLine("go".getBytes(StandardCharsets.UTF_8));
		this.end.stopped().get(20, TimeUnit.SECONDS);
		assertThat(ProcessHandle.of(pid).filter(ProcessTree::isRunning)).isEmpty();
		assertThat(this.end.terminalError()).isInstanceOf(McpStdioExitedException.class);
	}

	private ConnectionChild connected(ProcessSpec spec) {
		ConnectionChild child = child(spec);
		assertThat(this.state.starting()).isTrue();
		child.launch();
		this.state.connected();
		child.watchExit();
		return child;
	}

	private ConnectionChild child(ProcessSpec spec) {
		ConnectionChild child = new ConnectionChild(ProcessLauncher.shared(), spec, 1024, this.state, this.end,
				this.stdout, this.stderr);
		this.child = child;
		return child;
	}

	private static ProcessSpec shell(String name, String script) {
		return ProcessSpec.command(name, "/bin/sh", List.of("-c", script)).build();
	}

}
