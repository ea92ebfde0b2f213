package dev.mcpstdio.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.mcpstdio.benchmarks.Benchmarks.Settings;

/**
 * 19: the sample application's start to its first tool call answered, in its CLI mode
 * ({@code --spring.profiles.active=cli}: one call to the {@code demo} server, its result
 * on stdout, then exit through the ladder), from the jar extracted as Spring Boot advises
 * for the JDK's caches. Side by side in one run: Temurin 25 plain, with Spring's AOT mode
 * ({@code -Dspring.aot.enabled=true}), with JDK 25's AOT cache (JEP 483/514, trained by
 * one CLI run with {@code -XX:AOTCacheOutput}), with both; and the default JDK plain. The
 * {@code demo} server is a JVM of its own in every case, and its start is part of the
 * figure: the caches and AOT mode speed up the application's JVM only.
 */
final class StartupMeasures {

	private static final Path JDK25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64");

	private static final String ANSWER = "5";

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
			this.rows.add(new Row("19. sample start to first tool call answered (CLI)", "-", "-", "-",
					"Temurin 25 not found at " + JDK25, "-", true));
			return;
		}
		String java17 = Path.of(System.getProperty("java.home"), "bin", "java").toString();
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
		ways.put("default JDK plain", List.of(java17));
		Map<String, List<long[]>> samples = new LinkedHashMap<>();
		ways.keySet().forEach((way) -> samples.put(way, new ArrayList<>()));
		int runs = Math.max(2, this.settings.spawnRuns() / 3);
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
		this.rows.add(new Row("19. sample start to first tool call answered (CLI, p50 of " + runs + ")",
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
	 * One CLI run: nanoseconds to the answer on stdout and to the exit.
	 */
	private long[] run(List<String> java, Path jar) throws Exception {
		List<String> command = new ArrayList<>(java);
		command.addAll(List.of("-jar", jar.toString(), "--spring.profiles.active=cli", "--server=demo", "--tool=add",
				"--args={\"a\":2,\"b\":3}"));
		long start = System.nanoTime();
		Process process = new ProcessBuilder(command).directory(this.work.toFile())
			.redirectError(this.work.resolve("stderr.log").toFile())
			.start();
		long answered = -1;
		try (BufferedReader stdout = new BufferedReader(
				new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
			String line;
			while ((line = stdout.readLine()) != null) {
				if (answered < 0 && line.strip().equals(ANSWER)) {
					answered = System.nanoTime() - start;
				}
			}
		}
		if (!process.waitFor(120, TimeUnit.SECONDS)) {
			process.destroyForcibly();
			throw new IllegalStateException("The sample did not exit within 120 s: " + command);
		}
		long exited = System.nanoTime() - start;
		if (answered < 0 || process.exitValue() != 0) {
			throw new IllegalStateException("The sample did not answer " + ANSWER + " and exit 0 (exit "
					+ process.exitValue() + ", stderr in " + this.work.resolve("stderr.log") + "): " + command);
		}
		return new long[] { answered, exited };
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
