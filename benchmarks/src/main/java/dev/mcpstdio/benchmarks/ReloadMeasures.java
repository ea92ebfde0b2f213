package dev.mcpstdio.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import dev.mcpstdio.process.ProcessSpec;
import dev.mcpstdio.server.McpStdioServer;
import dev.mcpstdio.server.McpStdioServers;
import dev.mcpstdio.server.ServerDefinition;
import dev.mcpstdio.server.ServerState;
import io.modelcontextprotocol.client.McpSyncClient;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * 18: {@code config-file-reload} with 20 servers running, one definition changed in the
 * file: the time from the write until the changed server answers again, against the quiet
 * period plus that server's own start (a server registered in the same context and
 * called, timed alike); the other 19 keep their pids, and 8 callers calling them
 * throughout see no failure. The stock transport has no reload: its application restarts.
 */
final class ReloadMeasures {

	private static final int SERVERS = 20;

	private static final Duration QUIET_PERIOD = Duration.ofSeconds(1);

	private static final String CHANGED = "s7";

	private final Benchmarks.Settings settings;

	private final List<Row> rows;

	ReloadMeasures(Benchmarks.Settings settings, List<Row> rows) {
		this.settings = settings;
		this.rows = rows;
	}

	void reload() throws Exception {
		Path directory = Files.createTempDirectory("mcp-stdio-reload");
		Path file = directory.resolve("mcp.json");
		write(file, 0);
		int edits = (this.settings == Benchmarks.Settings.SMOKE) ? 1 : 5;
		long[] reloads = new long[edits];
		long[] ownStarts = new long[edits];
		AtomicInteger calls = new AtomicInteger();
		AtomicInteger failures = new AtomicInteger();
		boolean pidsKept = true;
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(
				Benchmarks.BenchmarkApplication.class)
			.web(WebApplicationType.NONE)
			.properties("spring.main.banner-mode=off", "logging.level.root=warn",
					"logging.level.dev.mcpstdio=" + System.getProperty("reload.log", "warn"),
					"mcp.stdio.config-file=" + file, "mcp.stdio.config-file-reload=true",
					"mcp.stdio.config-file-quiet-period=" + QUIET_PERIOD)
			.run()) {
			McpStdioServers servers = context.getBean(McpStdioServers.class);
			List<String> others = servers.names().stream().filter((name) -> !name.equals(CHANGED)).toList();
			Map<String, Long> pids = new LinkedHashMap<>();
			others.forEach((name) -> pids.put(name, servers.server(name).pid().orElseThrow()));
			AtomicBoolean stop = new AtomicBoolean();
			List<Thread> callers = callers(servers, others, stop, calls, failures);
			for (int edit = 0; edit < edits; edit++) {
				ownStarts[edit] = ownStart(servers);
				CountDownLatch replaced = new CountDownLatch(1);
				AtomicReference<Runnable> listener = new AtomicReference<>(replaced::countDown);
				servers.addServersChangedListener((added, removed) -> listener.get().run());
				long start = System.nanoTime();
				write(file, edit + 1);
				if (!replaced.await(60, TimeUnit.SECONDS)) {
					throw new IllegalStateException("the reload did not come");
				}
				listener.set(() -> {
				});
				// waits for the new process, as any caller through the registry does
				Benchmarks.echo(servers.client(CHANGED));
				reloads[edit] = System.nanoTime() - start;
			}
			stop.set(true);
			for (Thread caller : callers) {
				caller.join();
			}
			for (String name : others) {
				pidsKept &= servers.server(name).pid().orElse(-1) == pids.get(name);
			}
		}
		finally {
			try (var files = Files.list(directory)) {
				for (Path each : files.toList()) {
					Files.delete(each);
				}
			}
			Files.delete(directory);
		}
		Arrays.sort(reloads);
		Arrays.sort(ownStarts);
		long reload = reloads[reloads.length / 2];
		long target = QUIET_PERIOD.toNanos() + ownStarts[ownStarts.length / 2];
		this.rows
			.add(new Row(
					"18. config-file reload, 20 servers, one changed: write until it answers again, median of " + edits,
					ms(reload) + "; 19 others: pids " + (pidsKept ? "kept" : "**changed**") + ", " + failures.get()
							+ " failed of " + calls.get() + " calls (8 callers)",
					"- (no reload: the application restarts)",
					ms(target) + " (quiet period " + QUIET_PERIOD.toMillis() + " ms + the server's own start "
							+ ms(ownStarts[ownStarts.length / 2]) + ")",
					String.format("%.2fx the quiet period + own start", (double) reload / target),
					"at most the quiet period + own start; others untouched, no failed call",
					reload <= target && pidsKept && failures.get() == 0));
	}

	/**
	 * A server of the same command registered in the context and called: its own start.
	 */
	private static long ownStart(McpStdioServers servers) throws Exception {
		ServerDefinition definition = servers.server(CHANGED).definition();
		List<String> command = Benchmarks.fixtureCommand(); // the config-file's
		long start = System.nanoTime();
		McpStdioServer probe = servers.register(ServerDefinition
			.builder(ProcessSpec.command("probe", command.get(0), command.subList(1, command.size())).build())
			.transportOptions(definition.transportOptions())
			.lifecycle(definition.lifecycle())
			.build());
		Benchmarks.echo(servers.client(probe.name()));
		long took = System.nanoTime() - start;
		if (probe.state() != ServerState.RUNNING) {
			throw new IllegalStateException("the probe server is " + probe.state());
		}
		servers.unregister(probe.name()).get(60, TimeUnit.SECONDS);
		return took;
	}

	private static List<Thread> callers(McpStdioServers servers, List<String> names, AtomicBoolean stop,
			AtomicInteger calls, AtomicInteger failures) {
		List<McpSyncClient> clients = names.stream().map(servers::client).toList();
		List<Thread> callers = new ArrayList<>();
		for (int i = 0; i < 8; i++) {
			int first = i;
			Thread caller = new Thread(() -> {
				int next = first;
				while (!stop.get()) {
					try {
						Benchmarks.echo(clients.get(next++ % clients.size()));
						calls.incrementAndGet();
					}
					catch (RuntimeException ex) {
						failures.incrementAndGet();
					}
				}
			}, "reload-caller-" + i);
			caller.start();
			callers.add(caller);
		}
		return callers;
	}

	/** The config-file: 20 fixture servers, the changed one at this version. */
	private static void write(Path file, int version) throws IOException {
		Map<String, Object> servers = new LinkedHashMap<>();
		List<String> command = Benchmarks.fixtureCommand();
		for (int i = 0; i < SERVERS; i++) {
			String name = "s" + i;
			servers.put(name, Map.of("command", command.get(0), "args", command.subList(1, command.size()), "env",
					Map.of("VERSION", name.equals(CHANGED) ? String.valueOf(version) : "0")));
		}
		Path next = file.resolveSibling("mcp.json.next");
		Files.writeString(next, JsonMapper.builder().build().writeValueAsString(Map.of("mcpServers", servers)));
		Files.move(next, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
	}

	private static String ms(long nanos) {
		return (nanos / 1_000_000) + " ms";
	}

}
