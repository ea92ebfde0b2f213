package dev.mcpstdio.benchmarks;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.mcpstdio.benchmarks.Benchmarks.Settings;

/**
 * 19: the sample application's start to its first tool call answered over HTTP
 * ({@code POST /tools/demo/add}, tried until it answers), then SIGTERM and the ladder
 * until it exits, from the jar extracted as Spring Boot advises for the JDK's caches.
 * (Its CLI mode is a {@code @Profile} bean without a web server, both fixed at build time
 * under AOT: the web application is what one build runs in every way.) Side by side in
 * one run: Temurin 25 plain, with Spring's AOT mode ({@code -Dspring.aot.enabled=true}),
 * with JDK 25's AOT cache (JEP 483/514, trained by one untimed run with
 * {@code -XX:AOTCacheOutput}), with both; and the default JDK plain. The {@code demo}
 * server is a JVM of its own in every case, and its start is part of the figure: the
 * caches and AOT mode speed up the application's JVM only.
 */
final class StartupMeasures {

	private static final Path JDK25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64");

	private static final String ANSWER = "\"result\":\"5\"";

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

	private final Settings settings;

	private final List<Row> rows;

	private final Path work = Path.of("target", "startup").toAbsolutePath();

	StartupMeasures(Settings settings, List<Row> rows) {
		this.settings = settings;
		this.rows = rows;
	}

	/** 19: start to first answer, and to exit, of each way to run the sample. */
	void startup() throws Exception {
		Path jar = extractedJar();
		String java25 = JDK25.resolve("bin/java").toString();
		if (!Files.isExecutable(Path.of(java25))) {
			this.rows.add(new Row("19. sample start to first tool call answered over HTTP", "-", "-", "-",
					"Temurin 25 not found at " + JDK25, "-", true));
			return;
		}
		String javaDefault = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		Path cache = this.work.resolve("sample.aot");
		Path aotCache = this.work.resolve("sample-aot-mode.aot");
		Files.deleteIfExists(cache);
		Files.deleteIfExists(aotCache);
		// the training runs write the caches; they are not timed
		run(List.of(java25, "-XX:AOTCacheOutput=" + cache), jar);
		run(List.of(java25, "-Dspring.aot.enabled=true", "-XX:AOTCacheOutput=" + aotCache), jar);
		Map<String, List<String>> ways = new LinkedHashMap<>();
		ways.put("25 plain", List.of(java25));
		ways.put("25 AOT mode", List.of(java25, "-Dspring.aot.enabled=true"));
		ways.put("25 AOT cache", List.of(java25, "-XX:AOTCache=" + cache));
		ways.put("25 both", List.of(java25, "-Dspring.aot.enabled=true", "-XX:AOTCache=" + aotCache));
		ways.put("default JDK plain", List.of(javaDefault));
		Map<String, List<long[]>> samples = new LinkedHashMap<>();
		ways.keySet().forEach((way) -> samples.put(way, new ArrayList<>()));
		int runs = Math.max(1, this.settings.spawnRuns() / 3);
		for (int i = 0; i < runs; i++) {
			// each way in turn, so that a slower moment of the machine falls on all alike
			for (Map.Entry<String, List<String>> way : ways.entrySet()) {
				samples.get(way.getKey()).add(run(way.getValue(), jar));
			}
		}
		long plain = median(samples.get("25 plain"), 0);
		StringBuilder figures = new StringBuilder();
		StringBuilder ratios = new StringBuilder();
		for (Map.Entry<String, List<long[]>> way : samples.entrySet()) {
			long answered = median(way.getValue(), 0);
			long exited = median(way.getValue(), 1);
			figures.append((figures.length() > 0) ? "; " : "")
				.append(String.format("%s %d ms (exit %d ms)", way.getKey(), answered / 1_000_000, exited / 1_000_000));
			if (!way.getKey().equals("25 plain")) {
				ratios.append((ratios.length() > 0) ? ", " : "")
					.append(String.format("%s %.2fx", way.getKey(), (double) answered / plain));
			}
		}
		this.rows.add(new Row("19. sample start to first tool call answered over HTTP, p50 of " + runs,
				figures.toString(), "-", "-", ratios + " of 25 plain", "-", true));
	}

	/**
	 * The sample's jar, extracted with Spring Boot's jar mode tools (the JDK's caches
	 * need a class path of plain jars).
	 */
	private Path extractedJar() throws Exception {
		Path target = Path.of("..", "sample-app", "target").toAbsolutePath().normalize();
		Path jar;
		try (Stream<Path> files = Files.list(target)) {
			jar = files.filter((path) -> path.getFileName().toString().matches("mcp-stdio-sample-app-.*\\.jar"))
				.filter((path) -> !path.getFileName().toString().endsWith("-plain.jar"))
				.findFirst()
				.orElseThrow(() -> new IllegalStateException("No sample jar in " + target + ": run benchmarks/run"));
		}
		Path destination = this.work.resolve("app");
		Files.createDirectories(this.work);
		deleteRecursively(destination);
		Process extract = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-Djarmode=tools", "-jar", jar.toString(), "extract", "--destination", destination.toString())
			.redirectErrorStream(true)
			.redirectOutput(this.work.resolve("extract.log").toFile())
			.start();
		if (!extract.waitFor(60, TimeUnit.SECONDS) || extract.exitValue() != 0) {
			throw new IllegalStateException("Extracting " + jar + " failed: see " + this.work.resolve("extract.log"));
		}
		return destination.resolve(jar.getFileName());
	}

	/**
	 * One run: nanoseconds to the first answer of a tool call over HTTP, and to the exit
	 * after SIGTERM.
	 */
	private long[] run(List<String> java, Path jar) throws Exception {
		int port;
		try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			port = free.getLocalPort();
		}
		List<String> command = new ArrayList<>(java);
		command.addAll(List.of("-jar", jar.toString(), "--server.port=" + port, "--server.address=127.0.0.1"));
		HttpRequest call = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/tools/demo/add"))
			.header("Content-Type", "application/json")
			.timeout(Duration.ofSeconds(30))
			.POST(HttpRequest.BodyPublishers.ofString("{\"a\": 2, \"b\": 3}"))
			.build();
		long start = System.nanoTime();
		Process process = new ProcessBuilder(command).directory(this.work.toFile())
			.redirectErrorStream(true)
			.redirectOutput(this.work.resolve("sample.log").toFile())
			.start();
		try {
			long answered = -1;
			long deadline = start + Duration.ofSeconds(120).toNanos();
			while (answered < 0 && process.isAlive() && System.nanoTime() < deadline) {
				try {
					if (this.http.send(call, HttpResponse.BodyHandlers.ofString()).body().contains(ANSWER)) {
						answered = System.nanoTime() - start;
					}
				}
				catch (IOException ex) {
					// not listening yet
					Thread.sleep(5);
				}
			}
			if (answered < 0) {
				throw new IllegalStateException("The sample did not answer the call (its log: "
						+ this.work.resolve("sample.log") + "): " + command);
			}
			process.destroy();
			if (!process.waitFor(120, TimeUnit.SECONDS)) {
				throw new IllegalStateException("The sample did not exit within 120 s of SIGTERM: " + command);
			}
			return new long[] { answered, System.nanoTime() - start };
		}
		finally {
			process.destroyForcibly();
		}
	}

	private static long median(List<long[]> samples, int index) {
		long[] values = samples.stream().mapToLong((sample) -> sample[index]).sorted().toArray();
		return Benchmarks.percentile(values, 50);
	}

	private static void deleteRecursively(Path path) throws IOException {
		if (!Files.exists(path)) {
			return;
		}
		try (Stream<Path> walk = Files.walk(path)) {
			for (Path each : walk.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
				Files.delete(each);
			}
		}
	}

}
