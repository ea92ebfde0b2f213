package dev.mcpstdio.actuate;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.mcpstdio.server.McpStdioServers;
import dev.mcpstdio.server.ServerState;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Health, the read-only endpoint and metrics over real HTTP, with real fixture servers.
 */
@SpringBootTest(classes = ActuatorTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
		"mcp.stdio.servers.files.java.main-class=dev.mcpstdio.fixture.FixtureServer",
		"mcp.stdio.servers.files.java.jvm-args=-Xmx48m,-XX:+UseSerialGC,-XX:TieredStopAtLevel=1",
		"mcp.stdio.servers.files.args=--token=hunter2-secret",
		"mcp.stdio.servers.files.env.SECRET_TOKEN=tok-very-secret-42",
		"mcp.stdio.servers.files.health.ping-interval=100ms", "mcp.stdio.servers.files.shutdown.eof-timeout=500ms",
		"mcp.stdio.servers.lazy.java.main-class=dev.mcpstdio.fixture.FixtureServer",
		"mcp.stdio.servers.lazy.startup=lazy",
		"mcp.stdio.servers.fragile.java.main-class=dev.mcpstdio.fixture.FixtureServer",
		"mcp.stdio.servers.fragile.java.jvm-args=-Xmx48m,-XX:+UseSerialGC,-XX:TieredStopAtLevel=1",
		"mcp.stdio.servers.fragile.restart.max-restarts=0", "management.endpoints.web.exposure.include=health,mcpstdio",
		"management.endpoint.health.show-details=always",
		"management.endpoint.health.group.readiness.include=readinessState,mcpStdio", "spring.main.banner-mode=off",
		"management.metrics.distribution.percentiles-histogram.mcp.stdio.requests=true" })
@DirtiesContext
@ExtendWith(OutputCaptureExtension.class)
class McpStdioActuatorHttpTests {

	private static final List<String> SECRETS = List.of("tok-very-secret-42", "hunter2-secret",
			"db-password-in-the-jvm-environment");

	@LocalServerPort
	int port;

	@Autowired
	McpStdioServers servers;

	@Autowired
	MeterRegistry meterRegistry;

	@Test
	void healthHasAComponentPerServerWithDetails(CapturedOutput output) throws Exception {
		Http http = new Http(this.port);
		await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
			Map<String, Object> files = component(http.get("/actuator/health").json(), "files");
			assertThat(files.get("status")).isEqualTo("UP");
			Map<String, Object> details = details(files);
			assertThat(details).containsEntry("serverName", "fixture")
				.containsEntry("toolCount", 11)
				.containsKeys("pid", "uptime", "protocolVersion", "lastPingRoundTripMillis", "stderrTail");
		});
		Map<String, Object> lazy = component(http.get("/actuator/health").json(), "lazy");
		assertThat(lazy.get("status")).as("a lazy server is not started by a health check").isEqualTo("UNKNOWN");
		assertThat(this.servers.server("lazy").state()).isEqualTo(ServerState.STOPPED);
		assertNoSecret(http.get("/actuator/health").body(), output);
	}

	@Test
	void eachServerHasAHealthPathOfItsOwn() throws Exception {
		Http http = new Http(this.port);
		Http.Response files = http.get("/actuator/health/mcpStdio/files");
		assertThat(files.status()).isEqualTo(200);
		assertThat(files.json()).containsEntry("status", "UP");
		assertThat(details(files.json())).containsEntry("state", "RUNNING")
			.containsEntry("required", true)
			.containsKey("pid");
		assertThat(http.get("/actuator/health/mcpStdio/lazy").json()).containsEntry("status", "UNKNOWN");
		assertThat(http.get("/actuator/health/mcpStdio/nope").status()).isEqualTo(404);
	}

	@Test
	void readinessGoesDownWhenARequiredServerIsFailed() throws Exception {
		Http http = new Http(this.port);
		assertThat(http.get("/actuator/health/readiness").status()).isEqualTo(200);
		ProcessHandle.of(this.servers.server("fragile").pid().orElseThrow()).orElseThrow().destroyForcibly();
		await().atMost(Duration.ofSeconds(20))
			.until(() -> this.servers.server("fragile").state() == ServerState.FAILED);
		Http.Response readiness = http.get("/actuator/health/readiness");
		assertThat(readiness.status()).isEqualTo(503);
		assertThat(readiness.json()).containsEntry("status", "DOWN");
		this.servers.server("fragile").restart();
		assertThat(http.get("/actuator/health/readiness").status()).isEqualTo(200);
	}

	@Test
	void endpointShowsEveryServerWithMaskedConfigurationAndProcessFigures(CapturedOutput output) throws Exception {
		Http http = new Http(this.port);
		Http.Response response = http.get("/actuator/mcpstdio");
		assertThat(response.status()).isEqualTo(200);
		@SuppressWarnings("unchecked")
		Map<String, Object> all = (Map<String, Object>) response.json().get("servers");
		assertThat(all).containsKeys("files", "lazy", "fragile");
		Http.Response one = http.get("/actuator/mcpstdio/files");
		assertThat(one.status()).isEqualTo(200);
		Map<String, Object> files = one.json();
		assertThat(files).containsEntry("state", "RUNNING");
		@SuppressWarnings("unchecked")
		Map<String, Object> configuration = (Map<String, Object>) files.get("configuration");
		assertThat(configuration.get("env")).isEqualTo(Map.of("SECRET_TOKEN", "******"));
		// the variables the process gets, by name: the application's secret (set by the
		// build in this JVM's environment) is not one
		assertThat(System.getenv("MCP_STDIO_TEST_SECRET")).isNotBlank();
		assertThat((List<String>) configuration.get("environment")).contains("PATH", "SECRET_TOKEN")
			.doesNotContain("MCP_STDIO_TEST_SECRET");
		assertThat(configuration).containsEntry("inheritEnv", "MINIMAL");
		assertThat((List<String>) configuration.get("command")).contains("--token=******");
		@SuppressWarnings("unchecked")
		Map<String, Object> process = (Map<String, Object>) files.get("process");
		assertThat(((Number) process.get("residentMemoryBytes")).longValue()).isPositive();
		assertThat(((Number) process.get("threads")).intValue()).isPositive();
		assertThat(http.get("/actuator/mcpstdio/nope").status()).isEqualTo(404);
		assertNoSecret(response.body() + one.body(), output);
	}

	@Test
	void writeOperationsAreRefusedByDefault() throws Exception {
		Http http = new Http(this.port);
		long pid = this.servers.server("files").pid().orElseThrow();
		int status = http.post("/actuator/mcpstdio/files/restart").status();
		assertThat(status).isBetween(400, 499);
		assertThat(this.servers.server("files").pid()).hasValue(pid);
	}

	@Test
	void metricsCountRequestsByServerMethodAndOutcome() {
		this.servers.client("files").callTool(new CallToolRequest("echo", Map.of("text", "metered")));
		// the timer of the requests' observations, with OpenTelemetry's buckets for MCP
		Timer requests = this.meterRegistry.find("mcp.stdio.requests")
			.tags("server", "files", "mcp.method.name", "tools/call", "gen_ai.tool.name", "echo", "outcome", "success")
			.timer();
		assertThat(requests).isNotNull();
		assertThat(requests.count()).isPositive();
		assertThat(requests.takeSnapshot().histogramCounts()).extracting((bucket) -> bucket.bucket(TimeUnit.SECONDS))
			.filteredOn(Double::isFinite)
			.containsExactly(0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0);
		assertThat(this.meterRegistry.get("mcp.stdio.servers").tag("state", "running").gauge().value())
			.isGreaterThanOrEqualTo(1);
		assertThat(this.meterRegistry.get("mcp.stdio.process.memory").tag("server", "files").gauge().value())
			.isPositive();
		assertThat(this.meterRegistry.get("mcp.stdio.process.cpu").tag("server", "files").gauge().value()).isPositive();
		assertThat(this.meterRegistry.get("mcp.stdio.restarts").tag("server", "files").functionCounter().count())
			.isZero();
		assertThat(this.meterRegistry.get("mcp.stdio.requests.waiting").tag("server", "files").gauge().value())
			.isZero();
	}

	@Test
	void secretsNeverReachLogsOrErrors(CapturedOutput output) {
		this.servers.client("files").callTool(new CallToolRequest("env", Map.of("name", "SECRET_TOKEN")));
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(output.getOut()).contains("env SECRET_TOKEN=******"));
		assertNoSecret(this.servers.server("files").status().toString(), output);
	}

	private static void assertNoSecret(String text, CapturedOutput output) {
		for (String secret : SECRETS) {
			assertThat(text).doesNotContain(secret);
			assertThat(output.getAll()).doesNotContain(secret);
		}
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> component(Map<String, Object> health, String server) {
		Map<String, Object> components = (Map<String, Object>) health.get("components");
		Map<String, Object> mcp = (Map<String, Object>) components.get("mcpStdio");
		return (Map<String, Object>) ((Map<String, Object>) mcp.get("components")).get(server);
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> details(Map<String, Object> component) {
		return (Map<String, Object>) component.get("details");
	}

}
