package dev.mcpstdio.benchmarks;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.mcpstdio.fixture.Fixtures;
import dev.mcpstdio.process.JavaCommand;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * 26: the memory of a session's own process. One gateway application in this JVM, as the
 * instances of rows 24-25 ({@link InstancesMeasures}: Tomcat on 127.0.0.1,
 * {@code allow-unauthenticated}, no Spring Security,
 * {@code mcp.stdio.gateway.instance-id} {@code mcp-gateway-0}), no nginx; its servers
 * {@code keep-alive: false}, a process per session, whose RSS and PSS are read from
 * {@code /proc}.
 */
final class SessionMemoryMeasures {

	/**
	 * The system property that holds the sample's class path ({@code benchmarks/run} sets
	 * it), for row 26's {@code demo-session}.
	 */
	static final String SAMPLE_CLASSPATH = "benchmarks.sample.classpath";

	/** The JVM options of the sample's {@code demo-session} (its application.yml). */
	static final List<String> SAMPLE_JVM_ARGS = List.of("-Xmx64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

	private static final String SAMPLE_SERVER = "dev.mcpstdio.sample.DemoMcpServer";

	private final Benchmarks.Settings settings;

	private final List<Row> rows;

	private final String mark = "--mark=session-memory-" + System.nanoTime();

	SessionMemoryMeasures(Benchmarks.Settings settings, List<Row> rows) {
		this.settings = settings;
		this.rows = rows;
	}

	/**
	 * 26: the resident memory of a session's own process ({@code keep-alive: false}, a
	 * process per session): sessions opened at once through one gateway (no nginx), one
	 * call each, then RSS and PSS read from {@code /proc/PID/smaps_rollup} of each
	 * process; the median. The sample's {@code demo-session} where its class path is
	 * given ({@link #SAMPLE_CLASSPATH}), the benchmarks' Java fixture with the sample's
	 * JVM options where not; then the Java fixture with its own options and the Python
	 * fixture, for comparison. The gateway's heap growth per session is read on the
	 * first.
	 */
	void memory() throws Exception {
		int sessions = (this.settings.sessions() >= 10) ? 8 : 2;
		String measure = "26. memory per session process (keep-alive false), median of " + sessions
				+ " sessions, one call each: RSS / PSS";
		String sampleClassPath = sampleClassPath();
		List<String> properties = InstancesMeasures.gatewayProperties("mcp-gateway-0");
		String prefix = "mcp.stdio.servers.demo-session.";
		if (sampleClassPath != null) {
			List<String> args = new ArrayList<>(SAMPLE_JVM_ARGS);
			args.addAll(List.of("-cp", sampleClassPath, SAMPLE_SERVER, this.mark + "-demo-session"));
			properties.add(prefix + "command=" + JavaCommand.javaExecutable());
			for (int i = 0; i < args.size(); i++) {
				properties.add(prefix + "args[" + i + "]=" + args.get(i));
			}
		}
		else {
			properties.add(prefix + "java.main-class=" + dev.mcpstdio.fixture.FixtureServer.class.getName());
			properties.add(prefix + "java.jvm-args=" + String.join(",", SAMPLE_JVM_ARGS));
			properties.add(prefix + "args=" + this.mark + "-demo-session");
		}
		properties.addAll(List.of(prefix + "keep-alive=false", prefix + "max-sessions=" + (sessions + 4)));
		GatewayMeasures.fixtureServer(properties, "java-fixture", this.mark + "-java-fixture", "keep-alive=false",
				"max-sessions=" + (sessions + 4));
		InstancesMeasures.python(properties, "python", this.mark + "-python", "keep-alive=false",
				"max-sessions=" + (sessions + 4));
		ConfigurableApplicationContext gateway = InstancesMeasures.start(properties);
		try {
			int port = InstancesMeasures.port(gateway);
			// a first session, so that what is loaded once is not counted per session
			closeAll(openAtOnce(InstancesMeasures.uri(port, "demo-session"), 1));
			long heapBefore = Benchmarks.usedHeap();
			List<HttpMcpClient.Session> open = openAtOnce(InstancesMeasures.uri(port, "demo-session"), sessions);
			long heapPerSession = (Benchmarks.usedHeap() - heapBefore) / sessions;
			long[][] demo = memoryOf(this.mark + "-demo-session");
			closeAll(open);
			long[][] java = measured(InstancesMeasures.uri(port, "java-fixture"), sessions,
					this.mark + "-java-fixture");
			long[][] python = measured(InstancesMeasures.uri(port, "python"), sessions, this.mark + "-python");
			String what = (sampleClassPath != null)
					? "the sample's demo-session (DemoMcpServer, " + String.join(" ", SAMPLE_JVM_ARGS) + ")"
					: "the benchmarks' Java fixture with the sample's options (" + String.join(" ", SAMPLE_JVM_ARGS)
							+ "; the sample's class path not given: run benchmarks/run)";
			this.rows.add(new Row(measure,
					what + ": " + mb(demo) + " (" + demo[0].length + " processes, JDK "
							+ System.getProperty("java.version") + "); the gateway's heap "
							+ String.format("%+.0f KB", heapPerSession / 1024.0) + " per open session",
					"-",
					"the Java fixture (" + String.join(" ", Fixtures.JVM_ARGS) + "): " + mb(java)
							+ "; the Python fixture: " + mb(python),
					String.format("PSS %.0f%% of RSS (pages shared between the JVMs); Python %.1fx less PSS",
							median(demo[1]) * 100.0 / Math.max(median(demo[0]), 1),
							(double) median(demo[1]) / Math.max(median(python[1]), 1)),
					"-", true));
		}
		finally {
			gateway.close();
		}
	}

	/** Opens sessions, one call each, and reads their processes' memory. */
	private long[][] measured(URI uri, int sessions, String mark) throws Exception {
		List<HttpMcpClient.Session> open = openAtOnce(uri, sessions);
		long[][] memory = memoryOf(mark);
		closeAll(open);
		return memory;
	}

	/**
	 * Opens the sessions at once through one client, each with one call answered; the
	 * processes settle.
	 */
	private static List<HttpMcpClient.Session> openAtOnce(URI uri, int sessions) throws Exception {
		ExecutorService opening = Executors.newFixedThreadPool(sessions);
		try {
			HttpMcpClient client = new HttpMcpClient(uri);
			List<Future<HttpMcpClient.Session>> futures = new ArrayList<>();
			for (int i = 0; i < sessions; i++) {
				futures.add(opening.submit(() -> {
					HttpMcpClient.Session session = client.open();
					session.echo("x");
					return session;
				}));
			}
			List<HttpMcpClient.Session> open = new ArrayList<>();
			for (Future<HttpMcpClient.Session> future : futures) {
				open.add(future.get());
			}
			Thread.sleep(1000);
			return open;
		}
		finally {
			opening.shutdown();
		}
	}

	private static void closeAll(List<HttpMcpClient.Session> sessions) throws Exception {
		for (HttpMcpClient.Session session : sessions) {
			session.close();
		}
	}

	/**
	 * RSS and PSS in kB of each running process with the mark that has no marked child
	 * (the server itself, not a wrapper that waits for it), sorted.
	 */
	private static long[][] memoryOf(String mark) throws IOException {
		List<ProcessHandle> marked = ProcessHandle.current()
			.descendants()
			.filter((process) -> Supergateway.commandLine(process).contains(mark))
			.toList();
		List<ProcessHandle> servers = marked.stream()
			.filter((process) -> process.children().noneMatch(marked::contains))
			.toList();
		long[][] memory = new long[2][servers.size()];
		for (int i = 0; i < servers.size(); i++) {
			for (String line : Files
				.readAllLines(Path.of("/proc", Long.toString(servers.get(i).pid()), "smaps_rollup"))) {
				if (line.startsWith("Rss:")) {
					memory[0][i] = kilobytes(line);
				}
				else if (line.startsWith("Pss:")) {
					memory[1][i] = kilobytes(line);
				}
			}
		}
		Arrays.sort(memory[0]);
		Arrays.sort(memory[1]);
		return memory;
	}

	private static long kilobytes(String line) {
		return Long.parseLong(line.replaceAll("[^0-9]", ""));
	}

	private static long median(long[] sorted) {
		return (sorted.length == 0) ? 0 : sorted[sorted.length / 2];
	}

	private static String mb(long[][] memory) {
		return String.format("%.1f MB / %.1f MB", median(memory[0]) / 1024.0, median(memory[1]) / 1024.0);
	}

	/**
	 * The sample's class path: the system property, or null where it is not given or
	 * names no sample classes.
	 */
	private static String sampleClassPath() {
		String classPath = System.getProperty(SAMPLE_CLASSPATH);
		if (classPath == null || classPath.isBlank()) {
			return null;
		}
		boolean found = Arrays.stream(classPath.split(File.pathSeparator))
			.map(Path::of)
			.anyMatch((entry) -> Files.isRegularFile(entry.resolve("dev/mcpstdio/sample/DemoMcpServer.class")));
		return found ? classPath : null;
	}

}
