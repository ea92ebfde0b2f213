package dev.mcpstdio.actuate;

import java.time.Duration;
import java.util.Map;

import dev.mcpstdio.server.McpStdioServers;
import dev.mcpstdio.server.ServerState;
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
import static org.assertj.core.api.Assertions.assertThatException;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Servers with {@code required: false} that cannot start, over real HTTP: the application
 * starts and stays UP, each shows its own status, and calls to them fail at once with the
 * server's reason.
 */
@SpringBootTest(classes = ActuatorTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
		"mcp.stdio.defaults.required=false", "mcp.stdio.defaults.request-timeout=5m",
		"mcp.stdio.defaults.shutdown.eof-timeout=300ms", "mcp.stdio.defaults.shutdown.term-timeout=300ms",
		"mcp.stdio.servers.files.java.main-class=dev.mcpstdio.fixture.FixtureServer",
		"mcp.stdio.servers.files.java.jvm-args=-Xmx48m,-XX:+UseSerialGC,-XX:TieredStopAtLevel=1",
		"mcp.stdio.servers.files.required=true", "mcp.stdio.servers.broken.command=/usr/bin/python3",
		"mcp.stdio.servers.broken.args[0]=-c",
		"mcp.stdio.servers.broken.args[1]=import sys; sys.exit('no config found')",
		"mcp.stdio.servers.broken.restart.max-restarts=0", "mcp.stdio.servers.waiting.command=/usr/bin/python3",
		"mcp.stdio.servers.waiting.args[0]=-c", "mcp.stdio.servers.waiting.args[1]=import sys; sys.exit(4)",
		"mcp.stdio.servers.waiting.restart.initial-backoff=10m", "mcp.stdio.servers.waiting.restart.max-backoff=10m",
		"mcp.stdio.servers.chatty.command=/usr/bin/python3", "mcp.stdio.servers.chatty.args[0]=-c",
		"mcp.stdio.servers.chatty.args[1]=import time; print('Server listening on stdio', flush=True);"
				+ " print('ready', flush=True); time.sleep(600)",
		"mcp.stdio.servers.chatty.initialize-timeout=1s", "mcp.stdio.servers.chatty.restart.max-restarts=0",
		"management.endpoints.web.exposure.include=health,mcpstdio", "management.endpoint.health.show-details=always",
		"management.endpoint.health.group.readiness.include=readinessState,mcpStdio",
		"management.endpoint.health.group.broken.include=mcpStdio/broken",
		"management.endpoint.health.group.broken.status.order=optional-down,optional-out-of-service,up,unknown",
		"management.endpoint.health.group.broken.status.http-mapping.optional-down=503",
		"management.endpoint.health.group.broken.status.http-mapping.optional-out-of-service=503",
		"spring.main.banner-mode=off" })
@DirtiesContext
@ExtendWith(OutputCaptureExtension.class)
class OptionalServerTests {

	@LocalServerPort
	int port;

	@Autowired
	McpStdioServers servers;

	@Test
	void optionalServersShowTheirOwnStatusWithoutTakingTheApplicationDown() throws Exception {
		await().atMost(Duration.ofSeconds(30))
			.until(() -> this.servers.server("broken").state() == ServerState.FAILED
					&& this.servers.server("chatty").state() == ServerState.FAILED
					&& this.servers.server("waiting").state() == ServerState.BACKOFF);
		Http http = new Http(this.port);
		Http.Response health = http.get("/actuator/health");
		assertThat(health.status()).isEqualTo(200);
		assertThat(health.json()).containsEntry("status", "UP");
		Map<String, Object> mcp = mcp(health.json());
		assertThat(mcp).containsEntry("status", "UP");
		assertThat(server(mcp, "files")).containsEntry("status", "UP");
		assertThat(details(server(mcp, "files"))).containsEntry("required", true);
		assertThat(server(mcp, "broken")).containsEntry("status", "OPTIONAL_DOWN");
		assertThat(details(server(mcp, "broken"))).containsEntry("required", false).containsEntry("state", "FAILED");
		assertThat(server(mcp, "waiting")).containsEntry("status", "OPTIONAL_OUT_OF_SERVICE");
		assertThat(details(server(mcp, "waiting"))).containsEntry("state", "BACKOFF");
		Http.Response readiness = http.get("/actuator/health/readiness");
		assertThat(readiness.status()).isEqualTo(200);
		assertThat(readiness.json()).containsEntry("status", "UP");
		Http.Response broken = http.get("/actuator/health/mcpStdio/broken");
		assertThat(broken.status()).isEqualTo(200);
		assertThat(broken.json()).containsEntry("status", "OPTIONAL_DOWN");
		// a probe of the optional server alone: a health group that maps its status to
		// 503
		Http.Response probe = http.get("/actuator/health/broken");
		assertThat(probe.status()).isEqualTo(503);
		assertThat(probe.body()).contains("OPTIONAL_DOWN");
	}

	@Test
	void callToAFailedServerFailsAtOnceNamingTheServerAndTheReason() {
		await().atMost(Duration.ofSeconds(30)).until(() -> this.servers.server("broken").state() == ServerState.FAILED);
		// request-timeout is 5 minutes: only failing at once ends this within the bound
		assertTimeoutPreemptively(Duration.ofSeconds(20),
				() -> assertThatException()
					.isThrownBy(() -> this.servers.client("broken").callTool(new CallToolRequest("echo", Map.of())))
					.withMessageContaining("MCP server 'broken'")
					.withMessageContaining("FAILED")
					.withMessageContaining("no config found"));
	}

	@Test
	void callToAServerBackingOffPastTheTimeoutFailsAtOnce() {
		await().atMost(Duration.ofSeconds(30))
			.until(() -> this.servers.server("waiting").state() == ServerState.BACKOFF);
		assertTimeoutPreemptively(Duration.ofSeconds(20),
				() -> assertThatException().isThrownBy(() -> this.servers.client("waiting").listTools())
					.withMessageContaining("MCP server 'waiting' is backing off after it exited with code 4")
					.withMessageContaining("its next start is in"));
	}

	@Test
	void initializeFailureAfterNonJsonStdoutSaysSoAndShowsTheLines(CapturedOutput output) {
		await().atMost(Duration.ofSeconds(30)).until(() -> this.servers.server("chatty").state() == ServerState.FAILED);
		assertThat(this.servers.server("chatty").status().lastError())
			.contains("did not answer 'initialize' within initialize-timeout PT1S")
			.contains("it wrote 2 lines to stdout that are not JSON-RPC")
			.contains("log to stderr")
			.contains("Server listening on stdio");
		assertThat(output.getOut()).doesNotContain("'chatty': trying to start it again")
			.doesNotContain("'chatty' exited with code");
	}

	@Test
	void eachStartIsOneLineAndTheSdkDoesNotRepeatTheServersInstructions(CapturedOutput output) {
		this.servers.server("files").restart();
		this.servers.client("files").listTools();
		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(output.getOut())
				.containsPattern("MCP server 'files' started: pid \\d+, fixture 1.0.0, 11 tools"));
		assertThat(output.getOut()).doesNotContain("Server response with Protocol");
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> mcp(Map<String, Object> health) {
		return (Map<String, Object>) ((Map<String, Object>) health.get("components")).get("mcpStdio");
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> server(Map<String, Object> mcp, String name) {
		return (Map<String, Object>) ((Map<String, Object>) mcp.get("components")).get(name);
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> details(Map<String, Object> server) {
		return (Map<String, Object>) server.get("details");
	}

}
