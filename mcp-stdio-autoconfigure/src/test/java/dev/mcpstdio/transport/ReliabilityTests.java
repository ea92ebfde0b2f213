package dev.mcpstdio.transport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import dev.mcpstdio.fixture.Fixtures;
import dev.mcpstdio.process.ProcessLauncher;
import dev.mcpstdio.process.ProcessSpec;
import dev.mcpstdio.process.StopTimeouts;
import dev.mcpstdio.process.platform.ProcessTree;
import dev.mcpstdio.transport.pipe.LogLevel;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.json.McpJsonDefaults;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Nothing leaks, hangs or is lost: start/stop cycles over well-behaved and misbehaving
 * fixtures, and a load of many callers on one connection. Bounded for CI; the
 * {@code soak} profile ({@code -Psoak}) runs the long versions.
 */
class ReliabilityTests {

	private static final boolean SOAK = Boolean.getBoolean("mcp.stdio.soak");

	private static final StdioTransportOptions OPTIONS = StdioTransportOptions.defaults()
		.withStderr(LogLevel.OFF, 10)
		.withStopTimeouts(Duration.ofSeconds(1), new StopTimeouts(Duration.ofMillis(200), Duration.ofMillis(200)));

	@Test
	@EnabledOnOs(OS.LINUX)
	void startStopCyclesLeaveNoProcessThreadOrFileDescriptor() throws Exception {
		int cycles = SOAK ? 1000 : 200;
		List<String[]> mix = List.of(new String[0], new String[] { "--ignore-eof" },
				new String[] { "--ignore-eof", "--ignore-term", "--grandchild" });
		cycle(0, mix.get(0)); // a first cycle opens what the JVM keeps open for good
								// (jars, the launcher)
		long fdsBefore = openFileDescriptors();
		// processes that other tests' cached contexts still run are not this test's
		List<ProcessHandle> before = Fixtures.runningChildren();
		ExecutorService pool = Executors.newFixedThreadPool(4);
		AtomicInteger failures = new AtomicInteger();
		long started = System.nanoTime();
		List<Future<?>> futures = new ArrayList<>();
		for (int i = 1; i <= cycles; i++) {
			int cycle = i;
			futures.add(pool.submit(() -> {
				try {
					cycle(cycle, mix.get(cycle % mix.size()));
				}
				catch (Exception | AssertionError ex) {
					failures.incrementAndGet();
					throw new IllegalStateException("cycle " + cycle, ex);
				}
				return null;
			}));
		}
		for (Future<?> future : futures) {
			future.get();
		}
		pool.shutdown();
		long millis = Duration.ofNanos(System.nanoTime() - started).toMillis();
		assertThat(failures).hasValue(0);
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			assertThat(Fixtures.runningChildren()).isSubsetOf(before);
			assertThat(Fixtures.threadsNamed("mcp-stdio-cycle")).isEmpty();
			assertThat(openFileDescriptors()).isLessThanOrEqualTo(fdsBefore);
		});
		System.out.printf(
				"reliability: %d start/stop cycles (well-behaved, EOF-ignoring, stubborn with grandchild)"
						+ " in %d ms: 0 processes, 0 threads left, file descriptors %d -> %d%n",
				cycles, millis, fdsBefore, openFileDescriptors());
	}

	@Test
	void manyCallersOnOneConnectionGetEveryAnswerMatched() throws Exception {
		int callers = 64;
		int calls = SOAK ? 10_000 : 1_000;
		ManagedStdioTransport transport = new ManagedStdioTransport(ProcessLauncher.shared(), Fixtures.spec("load"),
				OPTIONS.withRequestTimeout(Duration.ofSeconds(60)), McpJsonDefaults.getMapper());
		McpSyncClient client = McpClient.sync(transport)
			.requestTimeout(Duration.ofSeconds(90))
			.initializationTimeout(Duration.ofSeconds(30))
			.build();
		try {
			client.initialize();
			EchoLoad.Result result = EchoLoad.run(client, callers, calls);
			System.out.println("reliability: " + result + " on one connection");
			assertThat(result.failures()).isZero();
			assertThat(result.mismatches()).isZero();
			assertThat(transport.inFlightCount()).isZero();
		}
		finally {
			transport.stop();
		}
	}

	private static void cycle(int cycle, String[] flags) {
		ProcessSpec spec = Fixtures.spec("cycle" + cycle, flags);
		ManagedStdioTransport transport = new ManagedStdioTransport(ProcessLauncher.shared(), spec, OPTIONS,
				McpJsonDefaults.getMapper());
		McpSyncClient client = McpClient.sync(transport)
			.requestTimeout(Duration.ofSeconds(60))
			.initializationTimeout(Duration.ofSeconds(60))
			.build();
		client.initialize();
		List<ProcessHandle> tree = new ArrayList<>();
		ProcessHandle child = ProcessHandle.of(transport.pid()).orElseThrow();
		tree.add(child);
		if (flags.length == 3) {
			await().atMost(Duration.ofSeconds(30)).until(() -> child.descendants().findAny().isPresent());
			child.descendants().forEach(tree::add);
		}
		transport.stop();
		client.close();
		assertThat(tree).noneMatch(ProcessTree::isRunning);
	}

	private static long openFileDescriptors() throws IOException {
		try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
			return fds.count();
		}
	}

}
