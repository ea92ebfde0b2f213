package dev.mcpstdio.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.mcpstdio.fixture.Fixtures;
import dev.mcpstdio.process.ProcessLauncher;
import dev.mcpstdio.process.StopTimeouts;
import dev.mcpstdio.transport.ManagedStdioTransport;
import dev.mcpstdio.transport.StdioTransportOptions;
import dev.mcpstdio.transport.pipe.LogLevel;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;

/**
 * 14-15: governed calls: how soon a server hears that a request timed out, and throughput
 * of 64 callers under {@code max-concurrent-requests: 8}.
 */
final class CallMeasures {

	private static final Duration TIMEOUT = Duration.ofSeconds(60);

	private static final Pattern RECEIVED = Pattern.compile("cancel-received (\\S+) at (\\d+)");

	private final Benchmarks.Settings settings;

	private final List<Row> rows;

	CallMeasures(Benchmarks.Settings settings, List<Row> rows) {
		this.settings = settings;
		this.rows = rows;
	}

	/**
	 * 14: calls of a tool that answers after 1 s under a request-timeout of 200 ms: from
	 * the timeout (the call's start + 200 ms) to the server's receipt of
	 * notifications/cancelled (the fixture prints the wall clock at receipt).
	 */
	void cancellation() throws Exception {
		int runs = Math.max(this.settings.spawnRuns(), 5);
		Duration requestTimeout = Duration.ofMillis(200);
		ManagedStdioTransport transport = transport("cancelled",
				StdioTransportOptions.defaults().withStderr(LogLevel.OFF, 4 * runs).withRequestTimeout(requestTimeout));
		McpSyncClient client = client(transport);
		List<Long> deadlines = new ArrayList<>();
		for (int i = 0; i < runs; i++) {
			long deadline = System.currentTimeMillis() + requestTimeout.toMillis();
			try {
				client.callTool(new CallToolRequest("slow", Map.of("millis", 1000)));
			}
			catch (RuntimeException ex) {
				deadlines.add(deadline);
			}
		}
		// every receipt is printed before the late answer, which comes 1 s after the call
		Thread.sleep(1200);
		List<Long> received = new ArrayList<>();
		for (String line : transport.stderrTail()) {
			Matcher matcher = RECEIVED.matcher(line);
			if (matcher.matches()) {
				received.add(Long.parseLong(matcher.group(2)));
			}
		}
		client.close();
		long[] delays = new long[Math.min(received.size(), deadlines.size())];
		for (int i = 0; i < delays.length; i++) {
			delays[i] = (received.get(i) - deadlines.get(i)) * 1_000_000;
		}
		Arrays.sort(delays);
		boolean all = received.size() == runs && deadlines.size() == runs;
		this.rows.add(new Row("14. a timed-out request to the server's receipt of notifications/cancelled, p50 / p99",
				(delays.length == 0) ? "none received"
						: Benchmarks.millis(delays, 50) + " / " + Benchmarks.millis(delays, 99) + " (" + received.size()
								+ " of " + runs + " received, once each)",
				"never: it sends none", "-", "the timeout sweep runs every 10 ms", "under 50 ms (p50)",
				all && delays.length > 0 && Benchmarks.percentile(delays, 50) < 50_000_000));
	}

	/** 15: 64 callers for the load duration, with a cap of 8 and without. */
	void cappedThroughput() throws Exception {
		StdioTransportOptions options = StdioTransportOptions.defaults()
			.withStderr(LogLevel.OFF, 20)
			.withStopTimeouts(Duration.ofSeconds(1), new StopTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(1)))
			.withRequestTimeout(TIMEOUT);
		McpSyncClient capped = client(transport("capped", options.withMaxConcurrentRequests(8)));
		McpSyncClient uncapped = client(transport("uncapped", options));
		McpSyncClient stock = stock();
		long[] cappedResult = load(capped);
		long[] uncappedResult = load(uncapped);
		long[] stockResult = load(stock);
		capped.close();
		uncapped.close();
		stock.closeGracefully();
		double seconds = this.settings.loadDuration().toMillis() / 1000.0;
		double cappedRate = cappedResult[0] / seconds;
		double uncappedRate = uncappedResult[0] / seconds;
		this.rows.add(new Row("15. throughput, 64 callers, max-concurrent-requests 8",
				String.format("%.0f calls/s, %d failed (no cap: %.0f calls/s, %d failed)", cappedRate, cappedResult[1],
						uncappedRate, uncappedResult[1]),
				String.format("%.0f calls/s, %d failed (no cap to set)", stockResult[0] / seconds, stockResult[1]), "-",
				String.format("capped %.2fx uncapped", cappedRate / Math.max(uncappedRate, 0.001)), "no failures",
				cappedResult[1] == 0));
	}

	private long[] load(McpSyncClient client) throws InterruptedException {
		return Benchmarks.load(client, 64, this.settings.loadDuration(), Benchmarks::echo);
	}

	private static ManagedStdioTransport transport(String name, StdioTransportOptions options) {
		return new ManagedStdioTransport(ProcessLauncher.shared(), Fixtures.spec(name), options,
				McpJsonDefaults.getMapper());
	}

	private static McpSyncClient client(ManagedStdioTransport transport) {
		McpSyncClient client = McpClient.sync(transport).requestTimeout(TIMEOUT).initializationTimeout(TIMEOUT).build();
		client.initialize();
		return client;
	}

	private static McpSyncClient stock() {
		return Benchmarks.stock(Fixtures.spec("stock").command(), TIMEOUT);
	}

}
