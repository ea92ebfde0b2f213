package dev.mcpstdio.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import dev.mcpstdio.fixture.Probe;
import dev.mcpstdio.process.ProcessLauncher;
import dev.mcpstdio.process.ProcessSpec;
import dev.mcpstdio.process.StopTimeouts;
import dev.mcpstdio.process.sandbox.Confinement;
import dev.mcpstdio.process.sandbox.ResourceLimits;
import dev.mcpstdio.process.sandbox.SandboxSettings;
import dev.mcpstdio.transport.ManagedStdioTransport;
import dev.mcpstdio.transport.StdioTransportOptions;
import dev.mcpstdio.transport.pipe.LogLevel;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;

/**
 * 11-13: what confinement costs, on the Python probe server: spawn + initialize and calls
 * through a bubblewrap sandbox against the same server unconfined (and the stock
 * transport, which cannot confine), and how soon a caller hears that a server exceeded
 * its memory limit.
 */
final class ConfinementMeasures {

	private static final Duration TIMEOUT = Duration.ofSeconds(60);

	private static final Confinement SANDBOX = new Confinement(new SandboxSettings(true,
			SandboxSettings.OnUnavailable.FAIL, List.of(), List.of(), List.of(), List.of(), List.of()),
			ResourceLimits.NONE, true);

	private final Benchmarks.Settings settings;

	private final List<Row> rows;

	ConfinementMeasures(Benchmarks.Settings settings, List<Row> rows) {
		this.settings = settings;
		this.rows = rows;
	}

	/** 11: spawn + initialize, sandboxed and unconfined, in alternating order. */
	void spawn() {
		int runs = Math.max(this.settings.spawnRuns(), 2) * 2;
		long[] sandboxed = new long[runs];
		long[] unconfined = new long[runs];
		long[] stock = new long[runs];
		for (int i = 0; i < runs; i++) {
			if (i % 2 == 0) {
				sandboxed[i] = timedStart(SANDBOX);
				unconfined[i] = timedStart(Confinement.DEFAULTS);
			}
			else {
				unconfined[i] = timedStart(Confinement.DEFAULTS);
				sandboxed[i] = timedStart(SANDBOX);
			}
			long start = System.nanoTime();
			McpSyncClient client = stock(Probe.python("stock").build());
			stock[i] = System.nanoTime() - start;
			client.closeGracefully();
		}
		sort(sandboxed, unconfined, stock);
		double added = (Benchmarks.percentile(sandboxed, 50) - Benchmarks.percentile(unconfined, 50)) / 1e6;
		this.rows.add(new Row("11. spawn + initialize, sandboxed (bubblewrap) vs unconfined, median (Python server)",
				"sandboxed " + Benchmarks.millis(sandboxed, 50) + ", unconfined " + Benchmarks.millis(unconfined, 50),
				Benchmarks.millis(stock, 50) + " (unconfined: it cannot sandbox)", "-",
				String.format("the sandbox adds %+.1f ms", added), "under 15 ms more than unconfined", added < 15));
	}

	/**
	 * 12: round trips and throughput (8 callers) through a sandboxed server against the
	 * same server unconfined.
	 */
	void calls() throws Exception {
		McpSyncClient sandboxed = ours("sandboxed-calls", SANDBOX);
		McpSyncClient unconfined = ours("unconfined-calls", Confinement.DEFAULTS);
		McpSyncClient stock = stock(Probe.python("stock-calls").build());
		List<long[]> sandboxedSamples = new ArrayList<>();
		List<long[]> unconfinedSamples = new ArrayList<>();
		long[] stockSamples = sample(stock);
		for (int round = 0; round < 4; round++) {
			if (round % 2 == 0) {
				sandboxedSamples.add(sample(sandboxed));
				unconfinedSamples.add(sample(unconfined));
			}
			else {
				unconfinedSamples.add(sample(unconfined));
				sandboxedSamples.add(sample(sandboxed));
			}
		}
		long[] sandboxedAll = Benchmarks.merge(sandboxedSamples);
		long[] unconfinedAll = Benchmarks.merge(unconfinedSamples);
		double unconfinedRate = load(unconfined);
		double sandboxedRate = load(sandboxed);
		double stockRate = load(stock);
		sandboxed.close();
		unconfined.close();
		stock.closeGracefully();
		double latency = (double) Benchmarks.percentile(sandboxedAll, 50) / Benchmarks.percentile(unconfinedAll, 50);
		double rate = sandboxedRate / unconfinedRate;
		this.rows.add(new Row("12. calls through a sandboxed server: round trip p50 / p99; throughput, 8 callers",
				String.format("sandboxed %s / %s, %.0f calls/s; unconfined %s / %s, %.0f calls/s",
						Benchmarks.micros(sandboxedAll, 50), Benchmarks.micros(sandboxedAll, 99), sandboxedRate,
						Benchmarks.micros(unconfinedAll, 50), Benchmarks.micros(unconfinedAll, 99), unconfinedRate),
				String.format("%s / %s, %.0f calls/s (unconfined)", Benchmarks.micros(stockSamples, 50),
						Benchmarks.micros(stockSamples, 99), stockRate),
				"-", String.format("sandboxed p50 %.2fx unconfined, throughput %.2fx", latency, rate),
				"within noise of unconfined (p50 at most 1.1x, throughput at least 0.9x)",
				latency <= 1.1 && rate >= 0.9));
	}

	/**
	 * 13: a server with limits.memory 64MB asked to allocate 200 MB: the time from the
	 * call to the error the caller sees, which names the limit; the stock transport's
	 * caller, with the same server under the same rlimit, waits for its request timeout.
	 */
	void memoryLimit() {
		int runs = Math.max(this.settings.spawnRuns(), 3);
		long[] ours = new long[runs];
		String message = "";
		Confinement limited = new Confinement(SandboxSettings.DISABLED,
				new ResourceLimits(64L << 20, Duration.ZERO, 0, 0, 0), true);
		for (int i = 0; i < runs; i++) {
			McpSyncClient client = ours("hog", limited);
			long start = System.nanoTime();
			try {
				allocate(client);
			}
			catch (RuntimeException ex) {
				message = String.valueOf(ex.getMessage());
			}
			ours[i] = System.nanoTime() - start;
			client.close();
		}
		Arrays.sort(ours);
		Duration stockTimeout = this.settings.stockStopWait();
		List<String> command = new ArrayList<>(List.of("prlimit", "--data=" + (64L << 20), "--"));
		command.addAll(Probe.python("stock-hog").build().command());
		McpSyncClient stock = stock(command, stockTimeout);
		long start = System.nanoTime();
		String stockOutcome;
		try {
			allocate(stock);
			stockOutcome = "answered";
		}
		catch (RuntimeException ex) {
			stockOutcome = ex.getClass().getSimpleName();
		}
		long stockNanos = System.nanoTime() - start;
		stock.closeGracefully();
		boolean named = message.contains("exceeded limits.memory (64MB)");
		this.rows.add(new Row("13. server past limits.memory 64MB (allocates 200 MB): call to the caller's error, p50",
				Benchmarks.millis(ours, 50) + (named ? ", naming limits.memory (64MB)" : ", without the limit"),
				String.format("%.0f ms, %s at its request timeout (%d s), naming no limit", stockNanos / 1e6,
						stockOutcome, stockTimeout.toSeconds()),
				"-", String.format("%.0fx sooner than stock", (double) stockNanos / Benchmarks.percentile(ours, 50)),
				"the error names the limit", named));
	}

	private static void allocate(McpSyncClient client) {
		client.callTool(new CallToolRequest("allocate", Map.of("megabytes", 200)));
	}

	private long timedStart(Confinement confinement) {
		long start = System.nanoTime();
		McpSyncClient client = ours("spawn", confinement);
		long elapsed = System.nanoTime() - start;
		client.close();
		return elapsed;
	}

	private static McpSyncClient ours(String name, Confinement confinement) {
		StdioTransportOptions options = StdioTransportOptions.defaults()
			.withStderr(LogLevel.OFF, 20)
			.withStopTimeouts(Duration.ofSeconds(1), new StopTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(1)))
			.withRequestTimeout(TIMEOUT);
		ProcessSpec spec = Probe.python(name).confinement(confinement).build();
		McpSyncClient client = McpClient
			.sync(new ManagedStdioTransport(ProcessLauncher.shared(), spec, options, McpJsonDefaults.getMapper()))
			.requestTimeout(TIMEOUT)
			.initializationTimeout(TIMEOUT)
			.build();
		client.initialize();
		return client;
	}

	private static McpSyncClient stock(ProcessSpec spec) {
		return Benchmarks.stock(spec.command(), TIMEOUT);
	}

	private static McpSyncClient stock(List<String> command, Duration requestTimeout) {
		return Benchmarks.stock(command, requestTimeout);
	}

	private long[] sample(McpSyncClient client) {
		for (int i = 0; i < this.settings.warmupCalls() / 4; i++) {
			pid(client);
		}
		long[] samples = new long[this.settings.measuredCalls() / 4];
		for (int i = 0; i < samples.length; i++) {
			long start = System.nanoTime();
			pid(client);
			samples[i] = System.nanoTime() - start;
		}
		Arrays.sort(samples);
		return samples;
	}

	/** Successful calls per second from 8 callers for the load duration. */
	private double load(McpSyncClient client) throws InterruptedException {
		long ok = Benchmarks.load(client, 8, this.settings.loadDuration(), ConfinementMeasures::pid)[0];
		return ok * 1000.0 / this.settings.loadDuration().toMillis();
	}

	private static void pid(McpSyncClient client) {
		client.callTool(new CallToolRequest("pid", Map.of()));
	}

	private static void sort(long[]... arrays) {
		for (long[] array : arrays) {
			Arrays.sort(array);
		}
	}

}
