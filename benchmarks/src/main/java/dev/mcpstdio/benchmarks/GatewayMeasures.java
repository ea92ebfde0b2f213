package dev.mcpstdio.benchmarks;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.mcpstdio.autoconfigure.McpStdioGatewaySecurityAutoConfiguration;
import dev.mcpstdio.fixture.FixtureServer;
import dev.mcpstdio.fixture.Fixtures;
import dev.mcpstdio.server.McpStdioServer;
import dev.mcpstdio.server.McpStdioServers;
import io.modelcontextprotocol.client.McpSyncClient;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * 20-22: the gateway ({@code mcp.stdio.gateway}, in a servlet web application on
 * 127.0.0.1 in this JVM) beside supergateway 4.0.0 ({@code --stateful}, a process per
 * session) in front of the same Java fixture server, driven by the same bare HTTP client
 * ({@link HttpMcpClient}): the round trip, the throughput of concurrent sessions, and a
 * session's open + first call + close. Every fixture process of either side carries a
 * mark, so that what is left behind is counted. The gateway's application is one without
 * Spring Security ({@link #WITHOUT_SPRING_SECURITY}), as these rows were measured before
 * the benchmarks had it on their class path for row 23.
 */
final class GatewayMeasures implements AutoCloseable {

	private static final String UNAVAILABLE = "supergateway not measured: ";

	/**
	 * Leaves Spring Security out of a gateway's application although it is on the class
	 * path (for row 23): Boot's security and resource server auto-configurations, which
	 * would put Spring Security's filter chain in front of every request (the gateway's
	 * own chain, permitting all with {@code allow-unauthenticated}, and Boot's default
	 * one, 401 for every other path), and the gateway's, which needs theirs.
	 */
	static final String WITHOUT_SPRING_SECURITY = "spring.autoconfigure.exclude=" + String.join(",",
			"org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration",
			"org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration",
			"org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration",
			"org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterAutoConfiguration",
			"org.springframework.boot.security.oauth2.server.resource.autoconfigure.OAuth2ResourceServerAutoConfiguration",
			"org.springframework.boot.security.oauth2.server.resource.autoconfigure.web.OAuth2ResourceServerWebSecurityAutoConfiguration",
			McpStdioGatewaySecurityAutoConfiguration.class.getName());

	private final Benchmarks.Settings settings;

	private final List<Row> rows;

	private final String mark = "--mark=gateway-" + System.nanoTime();

	private ConfigurableApplicationContext context;

	private String unavailable;

	/** Round trips over HTTP: {@link #http(Benchmarks.Settings)}. */
	private final Benchmarks.Settings http;

	GatewayMeasures(Benchmarks.Settings settings, List<Row> rows) {
		this.settings = settings;
		this.rows = rows;
		this.http = http(settings);
	}

	/**
	 * Round trips over HTTP: a fifth of the warm-up and half the calls of row 1 in each
	 * round (an HTTP call takes several times as long).
	 */
	static Benchmarks.Settings http(Benchmarks.Settings settings) {
		return new Benchmarks.Settings(settings.warmupCalls() / 5, settings.measuredCalls() / 2,
				settings.loadDuration(), settings.spawnRuns(), settings.stockStopWait(),
				settings.footprintConnections(), settings.sessions(), settings.gatewaySessions());
	}

	/**
	 * 20: sequential echo round trips on one session: through the gateway (the shared
	 * keep-alive process), through the starter's own client of the same server (what the
	 * gateway adds), and through supergateway; the three in alternating rounds.
	 */
	void roundTrip() throws Exception {
		McpSyncClient direct = servers().client("shared");
		HttpMcpClient ours = new HttpMcpClient(uri("shared"));
		List<List<long[]>> samples = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
		Supergateway supergateway = startSupergateway("sg-round-trip");
		int left = 0;
		try {
			HttpMcpClient.Session session = ours.open();
			HttpMcpClient.Session their = (supergateway != null) ? new HttpMcpClient(supergateway.uri()).open() : null;
			List<Benchmarks.Call> calls = List.of(() -> Benchmarks.echo(direct), () -> session.echo("x"),
					() -> their.echo("x"));
			for (int round = 0; round < 4; round++) {
				// each goes first in turn, so that none profits from the others' warm-up
				for (int i = 0; i < 3; i++) {
					int which = (round + i) % 3;
					if (which < 2 || their != null) {
						samples.get(which).add(Benchmarks.sample(this.http, calls.get(which)));
					}
				}
			}
			session.close();
			if (their != null) {
				their.close();
				left = supergateway.stop();
			}
		}
		finally {
			if (supergateway != null) {
				supergateway.close();
			}
		}
		long[] directAll = Benchmarks.merge(samples.get(0));
		long[] oursAll = Benchmarks.merge(samples.get(1));
		String theirs = this.unavailable;
		String ratio = String.format("gateway %.1fx direct (%+.0f µs)", ratio(oursAll, directAll, 50),
				(Benchmarks.percentile(oursAll, 50) - Benchmarks.percentile(directAll, 50)) / 1e3);
		if (supergateway != null) {
			long[] theirsAll = Benchmarks.merge(samples.get(2));
			theirs = "supergateway " + Supergateway.VERSION + ": " + micros(theirsAll) + ", " + left(left);
			ratio += String.format(
					", supergateway %.1fx gateway (p50); p99: gateway %.1fx direct, supergateway %.1fx gateway",
					ratio(theirsAll, oursAll, 50), ratio(oursAll, directAll, 99), ratio(theirsAll, oursAll, 99));
		}
		this.rows.add(new Row("20. round trip over Streamable HTTP, p50 / p99 (sequential echo, one session)",
				"gateway (shared keep-alive process): " + micros(oursAll), theirs,
				micros(directAll) + " (the same server through the starter's own client)", ratio, "-", true));
	}

	/**
	 * Starts supergateway in front of the fixture; null, with why in
	 * {@link #unavailable}, where it cannot be installed or started.
	 */
	private Supergateway startSupergateway(String name) throws InterruptedException {
		try {
			return Supergateway.start(fixtureCommand(name), this.mark + "-" + name);
		}
		catch (IOException ex) {
			this.unavailable = UNAVAILABLE + ex.getMessage();
			return null;
		}
	}

	/**
	 * 21: concurrent sessions, each its own HTTP session calling echo in a loop for the
	 * load duration (after a fifth of it as warm-up): through the gateway on the shared
	 * keep-alive process, through the gateway with a process per session, through
	 * supergateway (a process per session).
	 */
	void throughput() throws Exception {
		int sessions = this.settings.gatewaySessions();
		long[] shared = load(new HttpMcpClient(uri("shared")), sessions);
		long[] own = load(new HttpMcpClient(uri("own")), sessions);
		int ownLeft = awaitGone(this.mark + "-own");
		long[] theirs = null;
		Supergateway supergateway = startSupergateway("sg-throughput");
		String theirsText = this.unavailable;
		if (supergateway != null) {
			try {
				theirs = load(new HttpMcpClient(supergateway.uri()), sessions);
				theirsText = "supergateway " + Supergateway.VERSION + " --stateful (a process per session): "
						+ rate(theirs) + ", " + left(supergateway.stop());
			}
			finally {
				supergateway.close();
			}
		}
		double seconds = this.settings.loadDuration().toMillis() / 1000.0;
		double sharedRate = shared[0] / seconds;
		String ratio = (theirs != null) ? String.format("shared %.2fx supergateway, per session %.2fx",
				sharedRate / Math.max(theirs[0] / seconds, 0.001), own[0] / Math.max(theirs[0], 1.0)) : "-";
		boolean met = theirs != null && shared[1] == 0 && own[1] == 0 && shared[0] >= 2 * theirs[0];
		this.rows.add(new Row("21. throughput, " + sessions + " sessions at once, each calling echo in a loop",
				"gateway, shared keep-alive process: " + rate(shared) + "; a process per session (keep-alive false): "
						+ rate(own) + ", " + ownLeft + " left",
				theirsText, "-", ratio, "shared at least 2x supergateway, 0 failures", met));
	}

	/**
	 * 22: a session opened, one call, the session closed (DELETE), one after another:
	 * through the gateway on a server with {@code keep-alive: false} and
	 * {@code pool.min-idle: 2}, and through supergateway, which spawns a process per
	 * session. Before each, the pool is full again and supergateway's previous process
	 * gone, so that neither's start or stop weighs on the other.
	 */
	void sessions() throws Exception {
		int runs = this.settings.sessions();
		int warmup = (runs >= 10) ? 2 : 1;
		McpStdioServer pooled = servers().server("pooled");
		HttpMcpClient ours = new HttpMcpClient(uri("pooled"));
		long[][] oursSamples = new long[2][runs];
		long[][] theirsSamples = new long[2][runs];
		Supergateway supergateway = startSupergateway("sg-sessions");
		String theirsText = this.unavailable;
		try {
			HttpMcpClient theirs = (supergateway != null) ? new HttpMcpClient(supergateway.uri()) : null;
			for (int i = -warmup; i < runs; i++) {
				awaitIdle(pooled, 2);
				timedSession(ours, oursSamples, i);
				if (theirs != null) {
					awaitIdle(pooled, 2);
					timedSession(theirs, theirsSamples, i);
					awaitChildrenGone(supergateway);
				}
			}
			if (supergateway != null) {
				int left = supergateway.stop();
				sort(theirsSamples);
				theirsText = "supergateway " + Supergateway.VERSION + " (a process spawned per session): "
						+ Benchmarks.pair(theirsSamples[1]) + " (open + call " + Benchmarks.pair(theirsSamples[0])
						+ "), " + left(left);
			}
		}
		finally {
			if (supergateway != null) {
				supergateway.close();
			}
		}
		sort(oursSamples);
		double speedup = (supergateway != null)
				? (double) Benchmarks.percentile(theirsSamples[1], 50) / Benchmarks.percentile(oursSamples[1], 50) : 0;
		this.rows.add(new Row("22. session open + first call + close over Streamable HTTP, p50 / p99",
				"gateway, pooled (keep-alive false, min-idle 2): " + Benchmarks.pair(oursSamples[1]) + " (open + call "
						+ Benchmarks.pair(oursSamples[0]) + ")",
				theirsText, "-", (supergateway != null)
						? String.format("gateway %.1fx faster (p50, open + call + close)", speedup) : "-",
				"at least 5x faster than supergateway (p50)", speedup >= 5));
	}

	/**
	 * Times open + call into {@code samples[0][run]}, and with the close into
	 * {@code [1][run]}; a negative run is a warm-up.
	 */
	private static void timedSession(HttpMcpClient client, long[][] samples, int run) throws Exception {
		long start = System.nanoTime();
		HttpMcpClient.Session session = client.open();
		session.echo("x");
		long called = System.nanoTime() - start;
		session.close();
		long closed = System.nanoTime() - start;
		if (run >= 0) {
			samples[0][run] = called;
			samples[1][run] = closed;
		}
	}

	/**
	 * Opens the sessions at once, then makes each call echo in a loop: a fifth of the
	 * load duration as warm-up, then the load duration counted. The sessions are closed
	 * after.
	 * @return calls answered and failed in the counted time (a session that did not open
	 * counts as one failure)
	 */
	private long[] load(HttpMcpClient client, int sessions) throws Exception {
		ExecutorService callers = Executors.newFixedThreadPool(sessions);
		try {
			List<Future<HttpMcpClient.Session>> opening = new ArrayList<>();
			for (int i = 0; i < sessions; i++) {
				opening.add(callers.submit(client::open));
			}
			List<HttpMcpClient.Session> open = new ArrayList<>();
			AtomicLong ok = new AtomicLong();
			AtomicLong failed = new AtomicLong();
			for (Future<HttpMcpClient.Session> session : opening) {
				try {
					open.add(session.get());
				}
				catch (Exception ex) {
					failed.incrementAndGet();
				}
			}
			// the processes started settle
			Thread.sleep(this.settings.loadDuration().toMillis() / 5);
			long counted = System.nanoTime() + this.settings.loadDuration().toNanos() / 5;
			long end = counted + this.settings.loadDuration().toNanos();
			CountDownLatch done = new CountDownLatch(open.size());
			for (HttpMcpClient.Session session : open) {
				callers.execute(() -> {
					try {
						for (long now = System.nanoTime(); now < end; now = System.nanoTime()) {
							try {
								session.echo("x");
								if (now >= counted && System.nanoTime() <= end) {
									ok.incrementAndGet();
								}
							}
							catch (IOException | RuntimeException ex) {
								if (now >= counted) {
									failed.incrementAndGet();
								}
							}
						}
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
					}
					finally {
						done.countDown();
					}
				});
			}
			done.await();
			List<Future<?>> closing = new ArrayList<>();
			for (HttpMcpClient.Session session : open) {
				closing.add(callers.submit(() -> {
					session.close();
					return null;
				}));
			}
			for (Future<?> close : closing) {
				try {
					close.get();
				}
				catch (Exception ex) {
					failed.incrementAndGet();
				}
			}
			return new long[] { ok.get(), failed.get() };
		}
		finally {
			callers.shutdownNow();
			callers.awaitTermination(1, TimeUnit.MINUTES);
		}
	}

	private McpStdioServers servers() {
		return context().getBean(McpStdioServers.class);
	}

	private URI uri(String server) {
		String port = context().getEnvironment().getProperty("local.server.port");
		return URI.create("http://127.0.0.1:" + port + "/mcp/" + server);
	}

	/**
	 * The gateway's application, started on first use: {@code shared} (keep-alive),
	 * {@code own} (keep-alive false, no pool) and {@code pooled} (keep-alive false,
	 * {@code pool.min-idle: 2}), each the Java fixture.
	 */
	private synchronized ConfigurableApplicationContext context() {
		if (this.context == null) {
			List<String> properties = new ArrayList<>(List.of("spring.main.banner-mode=off", "logging.level.root=warn",
					"logging.level.mcp.stdio=off", "server.port=0", "server.address=127.0.0.1",
					"mcp.stdio.gateway.enabled=true", "mcp.stdio.gateway.allow-unauthenticated=true",
					"mcp.stdio.gateway.max-sessions=" + (2 * this.settings.gatewaySessions() + 16),
					WITHOUT_SPRING_SECURITY));
			fixture(properties, "shared");
			fixture(properties, "own", "keep-alive=false", "max-sessions=" + (this.settings.gatewaySessions() + 8));
			fixture(properties, "pooled", "keep-alive=false", "pool.min-idle=2");
			this.context = new SpringApplicationBuilder(GatewayApplication.class).web(WebApplicationType.SERVLET)
				.properties(properties.toArray(new String[0]))
				.run();
		}
		return this.context;
	}

	private void fixture(List<String> properties, String name, String... settings) {
		fixtureServer(properties, name, this.mark + "-" + name, settings);
	}

	/**
	 * Adds the properties of a server {@code name} of the Java fixture, its processes
	 * marked.
	 */
	static void fixtureServer(List<String> properties, String name, String mark, String... settings) {
		String prefix = "mcp.stdio.servers." + name + ".";
		properties.add(prefix + "java.main-class=" + FixtureServer.class.getName());
		properties.add(prefix + "java.jvm-args=" + String.join(",", Fixtures.JVM_ARGS));
		properties.add(prefix + "args=" + mark);
		for (String setting : settings) {
			properties.add(prefix + setting);
		}
	}

	/** The fixture's command line, as supergateway is given it, with a mark. */
	private List<String> fixtureCommand(String name) {
		return Benchmarks.fixtureCommand(this.mark + "-" + name);
	}

	/**
	 * Waits up to 10 s until no process with the mark runs.
	 * @return how many still run then
	 */
	private static int awaitGone(String mark) throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		List<ProcessHandle> left = Supergateway.marked(mark, -1);
		while (!left.isEmpty() && System.nanoTime() < deadline) {
			Thread.sleep(20);
			left = Supergateway.marked(mark, -1);
		}
		return left.size();
	}

	private static void awaitChildrenGone(Supergateway supergateway) throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		while (!supergateway.children().isEmpty() && System.nanoTime() < deadline) {
			Thread.sleep(5);
		}
	}

	private static void awaitIdle(McpStdioServer server, int idle) throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
		while (System.nanoTime() < deadline && server.status().pool().idle() < idle) {
			Thread.sleep(1);
		}
	}

	private static void sort(long[][] samples) {
		for (long[] sample : samples) {
			Arrays.sort(sample);
		}
	}

	static double ratio(long[] sorted, long[] than, int percentile) {
		return (double) Benchmarks.percentile(sorted, percentile) / Benchmarks.percentile(than, percentile);
	}

	static String micros(long[] sorted) {
		return Benchmarks.micros(sorted, 50) + " / " + Benchmarks.micros(sorted, 99);
	}

	private String rate(long[] result) {
		return String.format("%.0f calls/s, %d failed", result[0] * 1000.0 / this.settings.loadDuration().toMillis(),
				result[1]);
	}

	private static String left(int left) {
		return left + " of its processes left after its exit";
	}

	/** Closes the gateway's application: its sessions end, its processes stop. */
	@Override
	public synchronized void close() {
		if (this.context != null) {
			this.context.close();
			this.context = null;
		}
	}

	/** The gateway's web application: the starter's auto-configuration and Tomcat. */
	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class GatewayApplication {

	}

}
