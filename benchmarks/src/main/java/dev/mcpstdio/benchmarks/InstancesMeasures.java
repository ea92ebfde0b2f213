package dev.mcpstdio.benchmarks;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import dev.mcpstdio.fixture.Fixtures;
import dev.mcpstdio.server.McpStdioServer;
import dev.mcpstdio.server.McpStdioServers;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * 24-25: the gateway on several instances (issue 34). Each instance is a gateway
 * application of its own in this JVM, as in rows 20-22 (Tomcat on 127.0.0.1,
 * {@code allow-unauthenticated}, no Spring Security), with
 * {@code mcp.stdio.gateway.instance-id} {@code mcp-gateway-0} or {@code mcp-gateway-1};
 * in front of them, Debian's nginx with the configuration the sample's test runs
 * ({@link Nginx}). 24: what nginx adds to a call; 25: sessions opened per second across
 * two instances against one. Row 26, the memory of a session's own process, is
 * {@link SessionMemoryMeasures}'s, on a gateway started as these are.
 */
final class InstancesMeasures {

	/** Clients opening sessions at once in row 25. */
	private static final int CLIENTS = 16;

	/** Idle processes of the pooled server in row 25. */
	private static final int MIN_IDLE = 4;

	private final Benchmarks.Settings settings;

	private final Benchmarks.Settings http;

	private final List<Row> rows;

	private final String mark = "--mark=instances-" + System.nanoTime();

	InstancesMeasures(Benchmarks.Settings settings, List<Row> rows) {
		this.settings = settings;
		this.http = GatewayMeasures.http(settings);
		this.rows = rows;
	}

	/**
	 * 24: sequential echo round trips in one session on the shared keep-alive process:
	 * through nginx in front of two instances, and straight to the instance that owns the
	 * session, each through its own {@link HttpMcpClient}; 4 rounds in which each goes
	 * first in turn.
	 */
	void roundTrip() throws Exception {
		String measure = "24. round trip through nginx vs straight to the instance, p50 / p99 (sequential echo,"
				+ " one session, two instances behind nginx)";
		String unavailable = Nginx.unavailable();
		if (unavailable != null) {
			this.rows.add(new Row(measure, "nginx not measured: " + unavailable, "-", "-", "-", "-", true));
			return;
		}
		List<ConfigurableApplicationContext> instances = startInstances(2);
		try (Nginx nginx = Nginx.start(port(instances.get(0)), port(instances.get(1)))) {
			HttpMcpClient.Session proxied = new HttpMcpClient(uri(nginx.port(), "shared")).open();
			int owner = owner(proxied.id());
			HttpMcpClient.Session direct = new HttpMcpClient(uri(port(instances.get(owner)), "shared")).open();
			List<HttpMcpClient.Session> sessions = List.of(proxied, direct);
			List<List<long[]>> samples = List.of(new ArrayList<>(), new ArrayList<>());
			for (int round = 0; round < 4; round++) {
				// each goes first in turn, so that neither profits from the other's
				// warm-up
				for (int i = 0; i < 2; i++) {
					HttpMcpClient.Session session = sessions.get((round + i) % 2);
					samples.get((round + i) % 2).add(Benchmarks.sample(this.http, () -> session.echo("x")));
				}
			}
			proxied.close();
			direct.close();
			long[] through = Benchmarks.merge(samples.get(0));
			long[] straight = Benchmarks.merge(samples.get(1));
			this.rows.add(new Row(measure,
					"through nginx (the tested configuration, the session's owner mcp-gateway-" + owner + "): "
							+ GatewayMeasures.micros(through),
					"-", GatewayMeasures.micros(straight) + " (straight to the same instance)",
					String.format("nginx %+.0f µs p50 (%.2fx), %+.0f µs p99 (%.2fx)", difference(through, straight, 50),
							GatewayMeasures.ratio(through, straight, 50), difference(through, straight, 99),
							GatewayMeasures.ratio(through, straight, 99)),
					"-", true));
		}
		finally {
			close(instances);
		}
	}

	/**
	 * 25: {@link #CLIENTS} clients at once, each opening a session (initialize +
	 * notifications/initialized) and closing it (DELETE) in a loop, on the shared
	 * keep-alive process and on a pooled server ({@code keep-alive: false},
	 * {@code pool.min-idle}: the Python fixture): through nginx in front of two
	 * instances, through nginx in front of one (the configuration without the second),
	 * and straight to one instance; each twice, in the order two, one, straight,
	 * straight, one, two, the rates those of both runs together.
	 */
	void sessionsPerSecond() throws Exception {
		String measure = "25. sessions opened per second (initialize + initialized + DELETE), " + CLIENTS
				+ " clients at once, two instances behind nginx vs one";
		String unavailable = Nginx.unavailable();
		if (unavailable != null) {
			this.rows.add(new Row(measure, "nginx not measured: " + unavailable, "-", "-", "-", "-", true));
			return;
		}
		List<ConfigurableApplicationContext> instances = startInstances(2);
		List<String> ours = new ArrayList<>();
		List<String> floor = new ArrayList<>();
		List<String> ratios = new ArrayList<>();
		boolean failed = false;
		try {
			int first = port(instances.get(0));
			int second = port(instances.get(1));
			for (String server : List.of("shared", "pooled")) {
				// two, one, straight, then the other way round: neither the warm-up nor a
				// drift of the machine favours one
				long[][] results = new long[3][4];
				for (int which : new int[] { 0, 1, 2, 2, 1, 0 }) {
					add(results[which], opened(which, server, first, second, instances));
				}
				long[] two = results[0];
				long[] one = results[1];
				long[] straight = results[2];
				failed |= two[1] + one[1] + straight[1] > 0;
				String name = server.equals("shared") ? "keep-alive (the shared process)"
						: "keep-alive false, pool.min-idle " + MIN_IDLE + " (Python fixture)";
				ours.add(name
						+ ": two instances " + rate(two) + String.format(" (%.0f%% / %.0f%% on each)",
								two[2] * 100.0 / Math.max(two[0], 1), two[3] * 100.0 / Math.max(two[0], 1))
						+ ", one instance " + rate(one));
				floor.add(name + ": " + rate(straight));
				ratios.add(String.format("%s: two %.2fx one; nginx in front of one %.2fx straight",
						server.equals("shared") ? "keep-alive" : "pooled", (double) two[0] / Math.max(one[0], 1),
						(double) one[0] / Math.max(straight[0], 1)));
			}
		}
		finally {
			close(instances);
		}
		this.rows.add(new Row(measure, "through nginx, " + String.join("; ", ours), "-",
				"straight to one instance (no nginx): " + String.join("; ", floor),
				String.join("; ", ratios) + " (both instances share the same 2 cores)", "-", !failed));
	}

	/**
	 * Opens and closes sessions from {@link #CLIENTS} threads, each its own client: a
	 * fifth of the load duration as warm-up, then the load duration counted.
	 * @return sessions opened and closed in the counted time, failures, and of the
	 * sessions counted, those of mcp-gateway-0 and of mcp-gateway-1
	 */
	private long[] openAndClose(URI uri) throws InterruptedException {
		AtomicLong ok = new AtomicLong();
		AtomicLong failed = new AtomicLong();
		AtomicLong[] owners = { new AtomicLong(), new AtomicLong() };
		long counted = System.nanoTime() + this.settings.loadDuration().toNanos() / 5;
		long end = counted + this.settings.loadDuration().toNanos();
		ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
		CountDownLatch done = new CountDownLatch(CLIENTS);
		for (int c = 0; c < CLIENTS; c++) {
			clients.execute(() -> {
				HttpMcpClient client = new HttpMcpClient(uri);
				try {
					for (long now = System.nanoTime(); now < end; now = System.nanoTime()) {
						try {
							HttpMcpClient.Session session = client.open();
							session.close();
							if (now >= counted && System.nanoTime() <= end) {
								ok.incrementAndGet();
								owners[owner(session.id())].incrementAndGet();
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
		clients.shutdown();
		clients.awaitTermination(1, TimeUnit.MINUTES);
		return new long[] { ok.get(), failed.get(), owners[0].get(), owners[1].get() };
	}

	/**
	 * Sessions opened and closed on the server: through nginx in front of both instances
	 * (0), through nginx in front of the first (1), straight to the first (2).
	 */
	private long[] opened(int which, String server, int first, int second,
			List<ConfigurableApplicationContext> instances) throws IOException, InterruptedException {
		awaitIdle(instances, server);
		if (which == 2) {
			return openAndClose(uri(first, server));
		}
		try (Nginx nginx = (which == 0) ? Nginx.start(first, second) : Nginx.startOne(first)) {
			return openAndClose(uri(nginx.port(), server));
		}
	}

	private static void add(long[] sum, long[] result) {
		for (int i = 0; i < sum.length; i++) {
			sum[i] += result[i];
		}
	}

	/** The rate of two runs' sums. */
	private String rate(long[] result) {
		return String.format("%.0f sessions/s, %d failed",
				result[0] * 1000.0 / (2 * this.settings.loadDuration().toMillis()), result[1]);
	}

	private static int owner(String session) {
		return session.startsWith("mcp-gateway-1.") ? 1 : 0;
	}

	/** Waits until every instance's pooled server has its idle processes again. */
	private static void awaitIdle(List<ConfigurableApplicationContext> instances, String server)
			throws InterruptedException {
		if (!server.equals("pooled")) {
			return;
		}
		long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
		for (ConfigurableApplicationContext instance : instances) {
			McpStdioServer pooled = instance.getBean(McpStdioServers.class).server(server);
			while (System.nanoTime() < deadline && pooled.status().pool().idle() < MIN_IDLE) {
				Thread.sleep(5);
			}
		}
	}

	/**
	 * Starts instances mcp-gateway-0, mcp-gateway-1...: each serves {@code shared} (the
	 * Java fixture, keep-alive) and {@code pooled} (the Python fixture, keep-alive false,
	 * {@code pool.min-idle} {@link #MIN_IDLE}).
	 */
	private List<ConfigurableApplicationContext> startInstances(int count) {
		List<ConfigurableApplicationContext> instances = new ArrayList<>();
		try {
			for (int i = 0; i < count; i++) {
				String id = "mcp-gateway-" + i;
				List<String> properties = gatewayProperties(id);
				GatewayMeasures.fixtureServer(properties, "shared", this.mark + "-" + id + "-shared");
				python(properties, "pooled", this.mark + "-" + id + "-pooled", "keep-alive=false",
						"pool.min-idle=" + MIN_IDLE, "max-sessions=" + (4 * CLIENTS));
				instances.add(start(properties));
			}
			return instances;
		}
		catch (RuntimeException ex) {
			close(instances);
			throw ex;
		}
	}

	/** A gateway's properties, as rows 20-22 have them, with the instance's id. */
	static List<String> gatewayProperties(String instanceId) {
		return new ArrayList<>(
				List.of("spring.main.banner-mode=off", "logging.level.root=warn", "logging.level.mcp.stdio=off",
						"server.port=0", "server.address=127.0.0.1", "mcp.stdio.gateway.enabled=true",
						"mcp.stdio.gateway.allow-unauthenticated=true", "mcp.stdio.gateway.instance-id=" + instanceId,
						"mcp.stdio.gateway.max-sessions=512", GatewayMeasures.WITHOUT_SPRING_SECURITY));
	}

	/** Adds a server {@code name} of the Python fixture, its processes marked. */
	static void python(List<String> properties, String name, String mark, String... settings) {
		List<String> command = Fixtures.python(name, mark).command();
		String prefix = "mcp.stdio.servers." + name + ".";
		properties.add(prefix + "command=" + command.get(0));
		for (int i = 1; i < command.size(); i++) {
			properties.add(prefix + "args[" + (i - 1) + "]=" + command.get(i));
		}
		for (String setting : settings) {
			properties.add(prefix + setting);
		}
	}

	static ConfigurableApplicationContext start(List<String> properties) {
		return new SpringApplicationBuilder(GatewayMeasures.GatewayApplication.class).web(WebApplicationType.SERVLET)
			.properties(properties.toArray(new String[0]))
			.run();
	}

	private static void close(List<ConfigurableApplicationContext> instances) {
		instances.forEach(ConfigurableApplicationContext::close);
	}

	static int port(ConfigurableApplicationContext context) {
		return Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
	}

	static URI uri(int port, String server) {
		return URI.create("http://127.0.0.1:" + port + "/mcp/" + server);
	}

	/** The difference at a percentile, in µs. */
	private static double difference(long[] sorted, long[] than, int percentile) {
		return (Benchmarks.percentile(sorted, percentile) - Benchmarks.percentile(than, percentile)) / 1e3;
	}

}
