package dev.mcpstdio.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import dev.mcpstdio.autoconfigure.McpStdioAutoConfiguration;
import dev.mcpstdio.fixture.FixtureServer;
import dev.mcpstdio.fixture.Fixtures;
import dev.mcpstdio.process.JavaCommand;
import dev.mcpstdio.process.ProcessLauncher;
import dev.mcpstdio.process.ProcessSpec;
import dev.mcpstdio.process.StopTimeouts;
import dev.mcpstdio.process.platform.ProcessTree;
import dev.mcpstdio.server.McpStdioServer;
import dev.mcpstdio.server.McpStdioServers;
import dev.mcpstdio.server.McpStdioSession;
import dev.mcpstdio.server.ServerDefinition;
import dev.mcpstdio.server.ServerLifecycleSettings;
import dev.mcpstdio.server.SessionSettings;
import dev.mcpstdio.server.Startup;
import dev.mcpstdio.transport.CallingThread;
import dev.mcpstdio.transport.ManagedStdioTransport;
import dev.mcpstdio.transport.StdioTransportOptions;
import dev.mcpstdio.transport.observation.McpClientObservations;
import dev.mcpstdio.transport.observation.RequestObserver;
import dev.mcpstdio.transport.pipe.LogLevel;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

/**
 * mcp-stdio and the MCP Java SDK's own {@code StdioClientTransport}, side by side against
 * the same fixture server in one run, with the floor where there is one. Prints a
 * Markdown table and writes it as JSON to {@code target/benchmarks.json}. Run with
 * {@code benchmarks/run}; {@code --smoke} runs every measure briefly, only to check that
 * it works; {@code --only=1,5} runs only the measures of those numbers.
 */
public final class Benchmarks {

	private static final Duration TIMEOUT = Duration.ofSeconds(60);

	private static final StopTimeouts LADDER = new StopTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(1));

	private final Settings settings;

	private final List<Row> rows = new ArrayList<>();

	Benchmarks(Settings settings) {
		this.settings = settings;
	}

	public static void main(String[] args) throws Exception {
		Settings settings = Arrays.asList(args).contains("--smoke") ? Settings.SMOKE : Settings.FULL;
		Set<Integer> only = new HashSet<>();
		for (String arg : args) {
			if (arg.startsWith("--only=")) {
				Arrays.stream(arg.substring(7).split(",")).map(Integer::valueOf).forEach(only::add);
			}
		}
		Benchmarks benchmarks = new Benchmarks(settings);
		List<Row> rows = benchmarks.run(only);
		System.out.println(markdown(rows));
		Path json = benchmarks.write(rows, Path.of("target", "benchmarks.json"));
		System.out.println("written to " + json.toAbsolutePath());
		System.exit(0);
	}

	List<Row> run() throws Exception {
		return run(Set.of());
	}

	/** Runs the measures of the given numbers, or all of them when none is given. */
	List<Row> run(Set<Integer> only) throws Exception {
		// rows 20-22: below the idle timeout of supergateway's Node (5 s), so that the
		// HTTP client never posts on a connection the server is closing (read once, when
		// the JDK's HTTP client is first used)
		if (System.getProperty("jdk.httpclient.keepalive.timeout") == null) {
			System.setProperty("jdk.httpclient.keepalive.timeout", "4");
		}
		ConfinementMeasures confinement = new ConfinementMeasures(this.settings, this.rows);
		CallMeasures calls = new CallMeasures(this.settings, this.rows);
		TracingMeasures tracing = new TracingMeasures(this.settings, this.rows);
		ReloadMeasures reload = new ReloadMeasures(this.settings, this.rows);
		StartupMeasures startup = new StartupMeasures(this.settings, this.rows);
		GatewayAuthMeasures gatewayAuth = new GatewayAuthMeasures(this.settings, this.rows);
		InstancesMeasures instances = new InstancesMeasures(this.settings, this.rows);
		SessionMemoryMeasures sessionMemory = new SessionMemoryMeasures(this.settings, this.rows);
		try (GatewayMeasures gateway = new GatewayMeasures(this.settings, this.rows)) {
			List<Measure> measures = List.of(this::roundTrip, this::throughput, this::spawnAndInitialize,
					this::startTen, this::stopTenWellBehaved, this::stopTenStubborn, this::footprint, this::sessions,
					this::sessionBurst, this::stubbornSessions, confinement::spawn, confinement::calls,
					confinement::memoryLimit, calls::cancellation, calls::cappedThroughput, tracing::roundTrip,
					tracing::throughput, reload::reload, startup::startup, gateway::roundTrip, gateway::throughput,
					gateway::sessions, gatewayAuth::roundTrip, instances::roundTrip, instances::sessionsPerSecond,
					sessionMemory::memory);
			for (int i = 0; i < measures.size(); i++) {
				if (only.isEmpty() || only.contains(i + 1)) {
					measures.get(i).run();
				}
			}
		}
		return this.rows;
	}

	@FunctionalInterface
	private interface Measure {

		void run() throws Exception;

	}

	/**
	 * 1: sequential tools/call echo round trips, the three clients in alternating rounds.
	 */
	private void roundTrip() throws Exception {
		int rounds = 4;
		List<long[]> ours = new ArrayList<>();
		List<long[]> stock = new ArrayList<>();
		List<long[]> floor = new ArrayList<>();
		try (RawClient raw = RawClient.start(fixtureCommand())) {
			McpSyncClient client = ours("latency");
			McpSyncClient stockClient = stock();
			for (int round = 0; round < rounds; round++) {
				// alternate who goes first, so that neither profits from the other's JIT
				// warm-up
				if (round % 2 == 0) {
					ours.add(sample(() -> echo(client)));
					stock.add(sample(() -> echo(stockClient)));
				}
				else {
					stock.add(sample(() -> echo(stockClient)));
					ours.add(sample(() -> echo(client)));
				}
				floor.add(sample(() -> raw.echo("x")));
			}
			client.close();
			stockClient.closeGracefully();
		}
		long[] oursAll = merge(ours);
		long[] stockAll = merge(stock);
		long[] floorAll = merge(floor);
		double oursRatio = (double) percentile(oursAll, 50) / percentile(floorAll, 50);
		this.rows.add(new Row("1. call round trip, p50 / p99 (sequential echo)",
				micros(oursAll, 50) + " / " + micros(oursAll, 99), micros(stockAll, 50) + " / " + micros(stockAll, 99),
				micros(floorAll, 50) + " / " + micros(floorAll, 99),
				String.format("ours %.1fx floor, stock %.1fx floor (p50)", oursRatio,
						(double) percentile(stockAll, 50) / percentile(floorAll, 50)),
				"ours within 2x the floor", oursRatio <= 2.0));
	}

	/** Samples of several rounds, together and sorted. */
	static long[] merge(List<long[]> samples) {
		long[] all = samples.stream().flatMapToLong(Arrays::stream).toArray();
		Arrays.sort(all);
		return all;
	}

	/**
	 * 2: calls per second and failed calls with 1, 8 and 64 callers on one connection.
	 */
	private void throughput() throws Exception {
		McpSyncClient client = ours("throughput");
		McpSyncClient stockClient = stock();
		for (int callers : new int[] { 1, 8, 64 }) {
			long[] oursResult = load(client, callers);
			long[] stockResult = load(stockClient, callers);
			double oursRate = oursResult[0] * 1000.0 / this.settings.loadDuration().toMillis();
			double stockRate = stockResult[0] * 1000.0 / this.settings.loadDuration().toMillis();
			long stockTotal = stockResult[0] + stockResult[1];
			this.rows.add(new Row("2. throughput, " + callers + " caller(s) on one connection",
					String.format("%.0f calls/s, %d failed", oursRate, oursResult[1]),
					String.format("%.0f calls/s, %d failed (%.0f%%)", stockRate, stockResult[1],
							(stockTotal == 0) ? 0.0 : stockResult[1] * 100.0 / stockTotal),
					"-", String.format("ours %.2fx stock", oursRate / Math.max(stockRate, 0.001)),
					"0 failures, more successful calls/s than stock", oursResult[1] == 0 && oursRate > stockRate));
		}
		client.close();
		stockClient.closeGracefully();
	}

	/** 3: launching one server and completing initialize. */
	private void spawnAndInitialize() throws Exception {
		long[] ours = new long[this.settings.spawnRuns()];
		long[] floor = new long[this.settings.spawnRuns()];
		for (int i = 0; i < this.settings.spawnRuns(); i++) {
			long start = System.nanoTime();
			try (RawClient raw = RawClient.start(fixtureCommand())) {
				floor[i] = System.nanoTime() - start;
			}
			start = System.nanoTime();
			McpSyncClient client = ours("spawn");
			ours[i] = System.nanoTime() - start;
			client.close();
		}
		double overhead = (percentile(ours, 50) - percentile(floor, 50)) / 1e6;
		this.rows.add(new Row("3. spawn + initialize one server, median", millis(ours, 50), "-", millis(floor, 50),
				String.format("ours %+.1f ms over the hand-written handshake", overhead), "under 10 ms overhead",
				overhead < 10));
	}

	/** 4: ten eager servers through a Spring context, against one. */
	private void startTen() throws Exception {
		long one = contextStart(1);
		long ten = contextStart(10);
		long stockStart = System.nanoTime();
		List<McpSyncClient> stockClients = new ArrayList<>();
		for (int i = 0; i < 10; i++) {
			stockClients.add(stock());
		}
		long stockTen = System.nanoTime() - stockStart;
		stockClients.forEach((client) -> client.closeGracefully());
		double ratio = (double) ten / one;
		this.rows.add(new Row("4. start 10 servers (eager, Spring context)", ms(ten),
				ms(stockTen) + " (one after another)", ms(one) + " (one server)",
				String.format("ours %.2fx one server; stock %.2fx", ratio, (double) stockTen / one),
				"within 1.5x of one server", ratio <= 1.5));
	}

	private long contextStart(int servers) {
		List<String> properties = new ArrayList<>(
				List.of("spring.main.banner-mode=off", "logging.level.root=warn", "logging.level.mcp.stdio=off"));
		for (int i = 0; i < servers; i++) {
			String prefix = "mcp.stdio.servers.s" + i + ".";
			properties.add(prefix + "java.main-class=" + FixtureServer.class.getName());
			properties.add(prefix + "java.jvm-args=" + String.join(",", Fixtures.JVM_ARGS));
		}
		long start = System.nanoTime();
		ConfigurableApplicationContext context = new SpringApplicationBuilder(BenchmarkApplication.class)
			.web(WebApplicationType.NONE)
			.properties(properties.toArray(new String[0]))
			.run();
		long took = System.nanoTime() - start;
		context.close();
		return took;
	}

	/** 5: stopping ten well-behaved servers, until every process is gone. */
	private void stopTenWellBehaved() throws Exception {
		List<RawClient> raws = new ArrayList<>();
		for (int i = 0; i < 10; i++) {
			raws.add(RawClient.start(fixtureCommand()));
		}
		long floorStart = System.nanoTime();
		for (RawClient raw : raws) {
			raw.closeStdin();
		}
		for (RawClient raw : raws) {
			raw.process().waitFor();
		}
		long floor = System.nanoTime() - floorStart;
		McpStdioServers servers = registry(10, "well");
		servers.startAll().join();
		List<ProcessHandle> trees = trees(servers);
		long start = System.nanoTime();
		servers.close();
		long ours = System.nanoTime() - start;
		boolean gone = trees.stream().noneMatch(ProcessTree::isRunning);
		this.rows.add(new Row("5. stop 10 well-behaved servers, until all are gone", ms(ours), "-",
				ms(floor) + " (their own exit after EOF)",
				String.format("ours %+.0f ms over the floor", (ours - floor) / 1e6),
				"the slowest child's own exit + 100 ms", gone && ours <= floor + 100_000_000L));
	}

	/**
	 * 6: stopping ten stubborn servers (ignore EOF and SIGTERM, grandchild on stdout).
	 */
	private void stopTenStubborn() throws Exception {
		McpStdioServers servers = registry(10, "stubborn", "--ignore-eof", "--ignore-term", "--grandchild");
		servers.startAll().join();
		List<ProcessHandle> trees = awaitGrandchildren(servers);
		long start = System.nanoTime();
		servers.close();
		long ours = System.nanoTime() - start;
		boolean gone = trees.stream().noneMatch(ProcessTree::isRunning);
		String stock = stockStubbornStop();
		long bound = LADDER.bound().toNanos();
		this.rows.add(new Row("6. stop 10 stubborn servers (+ grandchildren), until all are gone",
				ms(ours) + (gone ? ", 0 left" : ", processes LEFT"), stock, "-",
				String.format("bound eof %s + term %s + 1 s", LADDER.eof(), LADDER.term()),
				"eof + term timeouts + 1 s, in total", gone && ours <= bound));
	}

	private String stockStubbornStop() throws Exception {
		Set<Thread> before = new HashSet<>(Thread.getAllStackTraces().keySet());
		List<McpSyncClient> clients = new ArrayList<>();
		for (int i = 0; i < 10; i++) {
			clients.add(stock("--ignore-eof", "--ignore-term", "--grandchild"));
		}
		Thread.sleep(500); // the grandchildren start
		List<ProcessHandle> trees = ProcessHandle.current()
			.descendants()
			.filter((handle) -> !ProcessLauncher.shared().guardian().map(handle::equals).orElse(false))
			.filter(ProcessTree::isRunning)
			.toList();
		ExecutorService closers = Executors.newCachedThreadPool();
		clients.forEach((client) -> closers.execute(() -> closeQuietly(client)));
		Thread.sleep(this.settings.stockStopWait().toMillis());
		long alive = trees.stream().filter(ProcessTree::isRunning).count();
		long nonDaemon = Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter((thread) -> !before.contains(thread) && thread.isAlive() && !thread.isDaemon())
			.count();
		closers.shutdownNow();
		trees.forEach(ProcessHandle::destroyForcibly);
		return String.format("never: after %d s, %d of %d processes alive, %d non-daemon threads keep the JVM",
				this.settings.stockStopWait().toSeconds(), alive, trees.size(), nonDaemon);
	}

	/** 7: threads and heap per idle connection. */
	private void footprint() throws Exception {
		int connections = this.settings.footprintConnections();
		Set<Thread> before = new HashSet<>(Thread.getAllStackTraces().keySet());
		long heapBefore = usedHeap();
		List<McpSyncClient> ours = new ArrayList<>();
		for (int i = 0; i < connections; i++) {
			ours.add(ours("foot" + i));
		}
		long oursHeap = (usedHeap() - heapBefore) / connections;
		List<Thread> oursThreads = newThreads(before);
		long oursDaemon = oursThreads.stream().filter(Thread::isDaemon).count();
		ours.forEach(McpSyncClient::close);
		Thread.sleep(500);
		before = new HashSet<>(Thread.getAllStackTraces().keySet());
		heapBefore = usedHeap();
		List<McpSyncClient> stock = new ArrayList<>();
		for (int i = 0; i < connections; i++) {
			stock.add(stock());
		}
		long stockHeap = (usedHeap() - heapBefore) / connections;
		List<Thread> stockThreads = newThreads(before);
		long stockDaemon = stockThreads.stream().filter(Thread::isDaemon).count();
		stock.forEach((client) -> CompletableFuture.runAsync(() -> closeQuietly(client)));
		double oursPer = (double) ownThreads(oursThreads).size() / connections;
		double stockPer = (double) ownThreads(stockThreads).size() / connections;
		this.rows.add(new Row("7. footprint per idle connection (" + connections + " open)",
				String.format("%.1f threads (%s), %d KB heap", oursPer, daemons(ownThreads(oursThreads)),
						oursHeap / 1024),
				String.format("%.1f threads (%s), %d KB heap", stockPer, daemons(ownThreads(stockThreads)),
						stockHeap / 1024),
				"-", "the JDK's own process reaper threads not counted (the same for both)",
				"at most 2 threads, all daemon", oursPer <= 2.0 && oursDaemon == oursThreads.size()));
	}

	/**
	 * 8: a session of its own (keep-alive false) opened and used for one call, then
	 * closed, on the Python fixture: without a pool, with {@code pool.min-idle: 2}, and
	 * with the stock transport (a process started per session). The floor is the same
	 * call on a keep-alive server. Open + call + close is what the caller waits for: the
	 * close hands the process to the stop ladder and returns.
	 */
	private void sessions() throws Exception {
		int runs = this.settings.sessions();
		long[][] unpooled = new long[2][runs];
		long[][] pooled = new long[2][runs];
		long[][] stock = new long[2][runs];
		long[] floor = new long[runs];
		try (McpStdioServers servers = sessionServers(Map.of("unpooled", 0, "pooled", 2), 32);
				McpStdioServers keepAlive = keepAliveServer()) {
			for (int i = 0; i < runs; i++) {
				timedSession(servers, "unpooled", unpooled, i);
				awaitIdle(servers.server("pooled"), 2);
				timedSession(servers, "pooled", pooled, i);
				long start = System.nanoTime();
				echo(keepAlive.client("floor"));
				floor[i] = System.nanoTime() - start;
				start = System.nanoTime();
				McpSyncClient client = stock(Fixtures.python("stock"));
				echo(client);
				stock[0][i] = System.nanoTime() - start;
				client.closeGracefully();
				stock[1][i] = System.nanoTime() - start;
			}
		}
		for (long[] samples : List.of(unpooled[0], unpooled[1], pooled[0], pooled[1], stock[0], stock[1], floor)) {
			Arrays.sort(samples);
		}
		double speedup = (double) percentile(unpooled[1], 50) / percentile(pooled[1], 50);
		double overFloor = (percentile(pooled[1], 50) - percentile(floor, 50)) / 1e6;
		this.rows.add(new Row("8. session open + one call + close, p50 / p99 (Python server)",
				"pooled (min-idle 2): " + pair(pooled[1]) + " (open + call " + pair(pooled[0]) + "); no pool: "
						+ pair(unpooled[1]) + " (open + call " + pair(unpooled[0]) + ")",
				pair(stock[1]) + " (open + call " + pair(stock[0]) + "), a process per session",
				pair(floor) + " (the call on a keep-alive server)",
				String.format("pooled %.1fx faster than no pool, %+.1f ms over the floor (p50)", speedup, overFloor),
				"pooled 5x faster than no pool, within 5 ms of the floor", speedup >= 5 && overFloor <= 5));
	}

	/**
	 * 10: sessions of a Python server that ignores EOF and SIGTERM and leaves a
	 * grandchild, with a ladder of EOF 1 s and SIGTERM 1 s: open + call + close as the
	 * caller sees it, against open + call, one session after another. The close must not
	 * add the ladder the process goes down after it.
	 */
	private void stubbornSessions() throws Exception {
		int runs = 20;
		long[][] samples = new long[2][runs];
		String mark = "--mark=stubborn-sessions-" + System.nanoTime();
		try (McpStdioServers servers = sessionServers(Map.of("stubborn-sessions", 0), 32, mark, "--stubborn")) {
			for (int i = 0; i < runs; i++) {
				timedSession(servers, "stubborn-sessions", samples, i);
			}
		}
		long left = ProcessHandle.allProcesses()
			.filter(ProcessTree::isRunning)
			.filter((process) -> process.info().arguments().map((args) -> List.of(args).contains(mark)).orElse(false))
			.count();
		Arrays.sort(samples[0]);
		Arrays.sort(samples[1]);
		double added = (percentile(samples[1], 50) - percentile(samples[0], 50)) / 1e6;
		this.rows.add(new Row(
				"10. " + runs + " sessions of a server that ignores EOF and SIGTERM (ladder 1 s + 1 s), open + call"
						+ " + close, p50 / p99",
				pair(samples[1]) + " (open + call " + pair(samples[0]) + "), " + left + " left",
				"- (its close never returns: row 6)", "-", String.format("the close adds %+.1f ms (p50)", added),
				"the close adds under 5 ms (p50), nothing left", added < 5 && left == 0));
	}

	static String pair(long[] sorted) {
		return millis(sorted, 50) + " / " + millis(sorted, 99);
	}

	/** 9: 40 sessions at once against {@code max-sessions: 4}. */
	private void sessionBurst() throws Exception {
		int burst = 40;
		String mark = "--mark=burst-" + System.nanoTime();
		try (McpStdioServers servers = sessionServers(Map.of("burst", 0), 4, mark)) {
			AtomicBoolean sampling = new AtomicBoolean(true);
			AtomicInteger peak = new AtomicInteger();
			Thread sampler = new Thread(() -> {
				while (sampling.get()) {
					long live = ProcessHandle.current()
						.children()
						.filter(ProcessTree::isRunning)
						.filter((child) -> child.info()
							.arguments()
							.map((args) -> List.of(args).contains(mark))
							.orElse(false))
						.count();
					peak.accumulateAndGet((int) live, Math::max);
				}
			});
			sampler.start();
			ExecutorService callers = Executors.newFixedThreadPool(burst);
			long start = System.nanoTime();
			List<Future<Boolean>> sessions = new ArrayList<>();
			for (int i = 0; i < burst; i++) {
				sessions.add(callers.submit(() -> {
					try (McpStdioSession session = servers.openSession("burst")) {
						return echo(session.client()).contains("text=x");
					}
				}));
			}
			int served = 0;
			for (Future<Boolean> session : sessions) {
				served += session.get() ? 1 : 0;
			}
			long took = System.nanoTime() - start;
			sampling.set(false);
			sampler.join();
			callers.shutdown();
			this.rows.add(
					new Row("9. burst of " + burst + " sessions, max-sessions 4",
							served + " of " + burst + " served in " + ms(took) + ", peak " + peak.get()
									+ " live processes",
							"-", "-", "the bound holds while every session waits its turn",
							"all served, never over 4 live", served == burst && peak.get() <= 4));
		}
	}

	/**
	 * Times open + call into {@code samples[0][run]}, and with the close into
	 * {@code [1][run]}.
	 */
	private static void timedSession(McpStdioServers servers, String name, long[][] samples, int run) {
		long start = System.nanoTime();
		try (McpStdioSession session = servers.openSession(name)) {
			echo(session.client());
			samples[0][run] = System.nanoTime() - start;
		}
		samples[1][run] = System.nanoTime() - start;
	}

	private static void awaitIdle(McpStdioServer server, int idle) throws InterruptedException {
		long deadline = System.nanoTime() + TIMEOUT.toNanos();
		while (System.nanoTime() < deadline && server.status().pool().idle() < idle) {
			Thread.sleep(1); // a benchmark, not a test: the pool refills between sessions
		}
	}

	private McpStdioServers sessionServers(Map<String, Integer> minIdle, int maxSessions, String... marks) {
		List<ServerDefinition> definitions = new ArrayList<>();
		minIdle.forEach((name, idle) -> definitions.add(ServerDefinition.builder(Fixtures.python(name, marks))
			.transportOptions(StdioTransportOptions.defaults()
				.withStderr(LogLevel.OFF, 20)
				.withStopTimeouts(Duration.ofSeconds(1), LADDER)
				.withRequestTimeout(TIMEOUT))
			.lifecycle(new ServerLifecycleSettings(false, Duration.ZERO, Startup.EAGER, true, List.of(), TIMEOUT))
			.sessions(new SessionSettings(idle, maxSessions))
			.build()));
		McpStdioServers servers = new McpStdioServers(definitions, ProcessLauncher.shared(),
				McpJsonDefaults.getMapper(), Clock.systemUTC());
		servers.startAll().join();
		return servers;
	}

	private McpStdioServers keepAliveServer() {
		McpStdioServers servers = new McpStdioServers(List.of(ServerDefinition.builder(Fixtures.python("floor"))
			.transportOptions(StdioTransportOptions.defaults().withStderr(LogLevel.OFF, 20).withRequestTimeout(TIMEOUT))
			.build()), ProcessLauncher.shared(), McpJsonDefaults.getMapper(), Clock.systemUTC());
		servers.startAll().join();
		return servers;
	}

	/**
	 * The threads a client made, without the JDK's process reapers, which every child
	 * process has.
	 */
	private static List<Thread> ownThreads(List<Thread> threads) {
		return threads.stream().filter((thread) -> !thread.getName().startsWith("process reaper")).toList();
	}

	private static String daemons(List<Thread> threads) {
		long daemon = threads.stream().filter(Thread::isDaemon).count();
		return (daemon == threads.size()) ? "all daemon" : (threads.size() - daemon) + " non-daemon";
	}

	private static void closeQuietly(McpSyncClient client) {
		try {
			client.closeGracefully();
		}
		catch (RuntimeException ex) {
			// the stock transport cannot stop a stubborn server: that is what is measured
		}
	}

	private McpSyncClient ours(String name, String... flags) {
		return ours(name, McpClientObservations.NONE, flags);
	}

	/** A fixture behind the starter's transport, its requests observed as given. */
	static McpSyncClient ours(String name, McpClientObservations observations, String... flags) {
		StdioTransportOptions options = StdioTransportOptions.defaults()
			.withStderr(LogLevel.OFF, 20)
			.withStopTimeouts(Duration.ofSeconds(1), LADDER)
			.withRequestTimeout(TIMEOUT);
		McpClientTransport transport = new ManagedStdioTransport(ProcessLauncher.shared(), Fixtures.spec(name, flags),
				options, McpJsonDefaults.getMapper(), RequestObserver.NONE, observations);
		// as the starter's own clients: the calling thread is held until the answer
		McpSyncClient client = McpClient.sync(transport)
			.requestTimeout(TIMEOUT)
			.initializationTimeout(TIMEOUT)
			.transportContextProvider(CallingThread.provider())
			.build();
		client.initialize();
		return client;
	}

	private McpSyncClient stock(String... flags) {
		return stock(fixtureCommand(flags));
	}

	private McpSyncClient stock(ProcessSpec spec) {
		return stock(spec.command());
	}

	private McpSyncClient stock(List<String> command) {
		return stock(command, TIMEOUT);
	}

	/**
	 * The stock SDK transport's client of a command line, initialized, its stderr
	 * dropped.
	 */
	static McpSyncClient stock(List<String> command, Duration requestTimeout) {
		ServerParameters parameters = ServerParameters.builder(command.get(0))
			.args(command.subList(1, command.size()))
			.build();
		StdioClientTransport transport = new StdioClientTransport(parameters, McpJsonDefaults.getMapper());
		transport.setStdErrorHandler((line) -> {
		});
		McpSyncClient client = McpClient.sync(transport)
			.requestTimeout(requestTimeout)
			.initializationTimeout(TIMEOUT)
			.build();
		client.initialize();
		return client;
	}

	private McpStdioServers registry(int count, String name, String... flags) {
		List<ServerDefinition> definitions = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			ProcessSpec spec = Fixtures.spec(name + i, flags);
			definitions.add(ServerDefinition.builder(spec)
				.transportOptions(StdioTransportOptions.defaults()
					.withStderr(LogLevel.OFF, 20)
					.withStopTimeouts(Duration.ofSeconds(1), LADDER)
					.withRequestTimeout(TIMEOUT))
				.lifecycle(new ServerLifecycleSettings(true, Duration.ZERO, Startup.EAGER, true, List.of(), TIMEOUT))
				.build());
		}
		return new McpStdioServers(definitions, ProcessLauncher.shared(), McpJsonDefaults.getMapper(),
				Clock.systemUTC());
	}

	private static List<ProcessHandle> trees(McpStdioServers servers) {
		List<ProcessHandle> trees = new ArrayList<>();
		servers.servers().forEach((server) -> ProcessHandle.of(server.pid().orElseThrow()).ifPresent((child) -> {
			trees.add(child);
			child.descendants().forEach(trees::add);
		}));
		return trees;
	}

	private static List<ProcessHandle> awaitGrandchildren(McpStdioServers servers) throws InterruptedException {
		long deadline = System.nanoTime() + TIMEOUT.toNanos();
		while (System.nanoTime() < deadline && trees(servers).size() < servers.names().size() * 2) {
			Thread.sleep(20);
		}
		return trees(servers);
	}

	private long[] sample(Call call) throws Exception {
		return sample(this.settings, call);
	}

	/** Round trips of a call after the warm-up, sorted. */
	static long[] sample(Settings settings, Call call) throws Exception {
		for (int i = 0; i < settings.warmupCalls(); i++) {
			call.run();
		}
		long[] samples = new long[settings.measuredCalls()];
		for (int i = 0; i < samples.length; i++) {
			long start = System.nanoTime();
			call.run();
			samples[i] = System.nanoTime() - start;
		}
		Arrays.sort(samples);
		return samples;
	}

	/** Calls echo from N threads for the load duration; successes and failures. */
	private long[] load(McpSyncClient client, int callers) throws InterruptedException {
		return load(client, callers, this.settings.loadDuration(), Benchmarks::echo);
	}

	/** Makes a call from N threads for a duration; successes and failures. */
	static long[] load(McpSyncClient client, int callers, Duration duration, Consumer<McpSyncClient> call)
			throws InterruptedException {
		AtomicLong ok = new AtomicLong();
		AtomicLong failed = new AtomicLong();
		ExecutorService pool = Executors.newFixedThreadPool(callers);
		long end = System.nanoTime() + duration.toNanos();
		for (int c = 0; c < callers; c++) {
			pool.execute(() -> {
				while (System.nanoTime() < end) {
					try {
						call.accept(client);
						ok.incrementAndGet();
					}
					catch (RuntimeException ex) {
						failed.incrementAndGet();
					}
				}
			});
		}
		pool.shutdown();
		pool.awaitTermination(TIMEOUT.toSeconds() * 2, TimeUnit.SECONDS);
		return new long[] { ok.get(), failed.get() };
	}

	static String echo(McpSyncClient client) {
		return client.callTool(new CallToolRequest("echo", Map.of("text", "x"))).content().toString();
	}

	static List<String> fixtureCommand(String... flags) {
		List<String> command = new ArrayList<>();
		command.add(JavaCommand.javaExecutable());
		command.addAll(Fixtures.JVM_ARGS);
		command.addAll(List.of("-cp", System.getProperty("java.class.path"), FixtureServer.class.getName()));
		command.addAll(List.of(flags));
		return command;
	}

	private static List<Thread> newThreads(Set<Thread> before) {
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter((thread) -> !before.contains(thread) && thread.isAlive())
			.toList();
	}

	static long usedHeap() throws InterruptedException {
		for (int i = 0; i < 3; i++) {
			System.gc();
			Thread.sleep(100);
		}
		return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
	}

	static long percentile(long[] sorted, int percentile) {
		return sorted[Math.min(sorted.length - 1, (int) (sorted.length * percentile / 100.0))];
	}

	static String micros(long[] sorted, int percentile) {
		return String.format("%.0f µs", percentile(sorted, percentile) / 1e3);
	}

	static String millis(long[] sorted, int percentile) {
		return ms(percentile(sorted, percentile));
	}

	private static String ms(long nanos) {
		return String.format("%.0f ms", nanos / 1e6);
	}

	static String markdown(List<Row> rows) {
		StringBuilder table = new StringBuilder();
		table.append("| measure | mcp-stdio | stock SDK stdio | floor | comparison | target | |\n");
		table.append("| --- | --- | --- | --- | --- | --- | --- |\n");
		rows.forEach((row) -> table.append(row.markdown()).append('\n'));
		table.append("\n").append(machine()).append('\n');
		return table.toString();
	}

	static String machine() {
		return String.format("%d cores, %s %s, JDK %s", Runtime.getRuntime().availableProcessors(),
				System.getProperty("os.name"), System.getProperty("os.arch"), System.getProperty("java.version"));
	}

	Path write(List<Row> rows, Path file) throws IOException {
		Files.createDirectories(file.toAbsolutePath().getParent());
		Map<String, Object> document = new LinkedHashMap<>();
		document.put("machine", machine());
		document.put("settings", this.settings.toString());
		document.put("rows", rows);
		Files.writeString(file,
				JsonMapper.builder().build().writerWithDefaultPrettyPrinter().writeValueAsString(document));
		return file;
	}

	@FunctionalInterface
	interface Call {

		void run() throws Exception;

	}

	/**
	 * How much each measure does.
	 *
	 * @param warmupCalls calls before round trips are measured
	 * @param measuredCalls round trips measured
	 * @param loadDuration how long each throughput run lasts
	 * @param spawnRuns how many spawns are timed
	 * @param stockStopWait how long the stock transport is given to stop stubborn servers
	 * @param footprintConnections idle connections opened for the footprint
	 * @param sessions sessions timed for each way of opening them
	 * @param gatewaySessions sessions at once through an HTTP gateway (row 21)
	 */
	record Settings(int warmupCalls, int measuredCalls, Duration loadDuration, int spawnRuns, Duration stockStopWait,
			int footprintConnections, int sessions, int gatewaySessions) {

		static final Settings FULL = new Settings(5_000, 10_000, Duration.ofSeconds(5), 15, Duration.ofSeconds(10), 20,
				50, 64);

		static final Settings SMOKE = new Settings(50, 200, Duration.ofMillis(300), 2, Duration.ofSeconds(2), 3, 3, 4);

	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration(McpStdioAutoConfiguration.class)
	static class BenchmarkApplication {

	}

}
