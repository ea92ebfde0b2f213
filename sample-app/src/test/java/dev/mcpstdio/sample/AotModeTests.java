package dev.mcpstdio.sample;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sample as AOT processing left it in target/classes, started in AOT mode
 * ({@code -Dspring.aot.enabled=true}): its servers, one more given only at run time,
 * health, tool calls on a shared and a per-session server, then SIGTERM: the ladder runs
 * and no process is left.
 */
class AotModeTests {

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final Pattern PORT = Pattern.compile("Tomcat started on port (\\d+)");

	@Test
	@EnabledOnOs(OS.LINUX)
	@SuppressWarnings("unchecked")
	void aotProcessedSampleRunsItsServersAnswersAndStopsWithTheLadderOnSigterm() throws Exception {
		String marker = "-Dsample.run=" + UUID.randomUUID();
		long grandchildSeconds = 3_000_000 + ThreadLocalRandom.current().nextLong(1_000_000);
		List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-Dspring.aot.enabled=true", "-cp", System.getProperty("java.class.path"),
				SampleApplication.class.getName(), "--server.port=0",
				"--mcp.stdio.servers.demo.java.jvm-args=-Xmx64m," + marker,
				"--mcp.stdio.servers.demo-session.java.jvm-args=-Xmx64m," + marker,
				"--mcp.stdio.servers.stubborn.java.jvm-args=-Xmx32m," + marker,
				"--mcp.stdio.servers.stubborn.args=--grandchild-seconds=" + grandchildSeconds,
				// a server the build did not see: the servers are bound where the
				// application runs
				"--mcp.stdio.servers.extra.java.main-class=" + DemoMcpServer.class.getName(),
				"--mcp.stdio.servers.extra.keep-alive=false");
		Path output = Files.createTempFile("aot", ".out");
		Process sample = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
		try {
			int port = await().atMost(Duration.ofSeconds(120))
				.until(() -> port(Files.readString(output, StandardCharsets.UTF_8), sample), (found) -> found > 0);
			assertThat(Files.readString(output, StandardCharsets.UTF_8)).contains("Starting AOT-processed");
			// Tomcat starts before the application is ready: readiness turns
			// ACCEPTING_TRAFFIC on ApplicationReadyEvent, after the port is printed
			await().atMost(Duration.ofSeconds(60))
				.until(() -> SampleHttp.get(port, "/actuator/health/readiness").statusCode(),
						(status) -> status == 200);
			HttpResponse<String> health = SampleHttp.get(port, "/actuator/health");
			assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
			Map<String, Object> mcp = (Map<String, Object>) ((Map<String, Object>) json
				.readValue(health.body(), Map.class)
				.get("components")).get("mcpStdio");
			assertThat(mcp).containsEntry("status", "UP");
			assertThat((Map<String, Object>) mcp.get("components")).containsOnlyKeys("demo", "demo-session", "stubborn",
					"extra");
			SampleHttp.assertToolsAnswer(port);
			long started = System.nanoTime();
			sample.destroy(); // SIGTERM
			assertThat(sample.waitFor(60, TimeUnit.SECONDS)).as("the sample exits on SIGTERM").isTrue();
			Duration took = Duration.ofNanos(System.nanoTime() - started);
			String printed = Files.readString(output, StandardCharsets.UTF_8);
			assertThat(printed).as(printed)
				.containsPattern(
						"MCP server 'stubborn' \\(pid \\d+\\) still running .* after stdin EOF: sending SIGTERM")
				.containsPattern("MCP server 'stubborn' \\(pid \\d+\\) still running .* after SIGTERM: sending SIGKILL")
				.containsPattern("MCP server 'stubborn' stopped: pid \\d+, SIGKILL")
				.containsPattern("MCP server 'demo' stopped: pid \\d+, EOF");
			assertThat(printed.indexOf("MCP server 'stubborn' stopped")).as("stubborn depends on demo: stopped first")
				.isLessThan(printed.indexOf("MCP server 'demo' stopped"));
			assertThat(Processes.with(marker)).isEmpty();
			assertThat(Processes.with("sleep " + grandchildSeconds)).isEmpty();
			System.out.printf("AOT mode: servers up, tools answered, SIGTERM to exit %d ms, no child left%n",
					took.toMillis());
		}
		finally {
			sample.destroyForcibly();
		}
	}

	/** The port Tomcat started on, 0 until it has; fails once the sample has exited. */
	private static int port(String printed, Process sample) {
		Matcher matcher = PORT.matcher(printed);
		if (matcher.find()) {
			return Integer.parseInt(matcher.group(1));
		}
		assertThat(sample.isAlive()).as(printed).isTrue();
		return 0;
	}

}
