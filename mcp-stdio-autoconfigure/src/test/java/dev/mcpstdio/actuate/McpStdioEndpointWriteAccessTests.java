package dev.mcpstdio.actuate;

import java.time.Duration;
import java.util.Map;

import dev.mcpstdio.server.McpStdioServers;
import dev.mcpstdio.server.ServerState;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The endpoint's restart and stop over real HTTP, where the user granted write access.
 */
@SpringBootTest(classes = ActuatorTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
		"mcp.stdio.servers.worker.java.main-class=dev.mcpstdio.fixture.FixtureServer",
		"mcp.stdio.servers.worker.java.jvm-args=-Xmx48m,-XX:+UseSerialGC,-XX:TieredStopAtLevel=1",
		"mcp.stdio.servers.worker.restart.max-restarts=0", "mcp.stdio.servers.worker.shutdown.eof-timeout=500ms",
		"management.endpoints.web.exposure.include=health,mcpstdio", "management.endpoint.health.show-details=always",
		"management.endpoint.mcpstdio.access=unrestricted", "spring.main.banner-mode=off" })
@DirtiesContext
class McpStdioEndpointWriteAccessTests {

	@LocalServerPort
	int port;

	@Autowired
	McpStdioServers servers;

	@Test
	void restartThroughTheEndpointRevivesAFailedServer() throws Exception {
		Http http = new Http(this.port);
		ProcessHandle.of(this.servers.server("worker").pid().orElseThrow()).orElseThrow().destroyForcibly();
		await().atMost(Duration.ofSeconds(20)).until(() -> this.servers.server("worker").state() == ServerState.FAILED);
		assertThat(component(http.get("/actuator/health").json())).containsEntry("status", "DOWN");
		Http.Response restart = http.post("/actuator/mcpstdio/worker/restart");
		assertThat(restart.status()).isEqualTo(200);
		assertThat(restart.json()).containsEntry("state", "RUNNING");
		assertThat(
				this.servers.client("worker").callTool(new CallToolRequest("echo", Map.of("text", "back"))).isError())
			.isFalse();
		assertThat(component(http.get("/actuator/health").json())).containsEntry("status", "UP");
	}

	@Test
	void stopThroughTheEndpointStopsTheServerUntilRestarted() throws Exception {
		Http http = new Http(this.port);
		ProcessHandle child = ProcessHandle.of(this.servers.server("worker").pid().orElseThrow()).orElseThrow();
		Http.Response stop = http.post("/actuator/mcpstdio/worker/stop");
		assertThat(stop.status()).isEqualTo(200);
		assertThat(stop.json()).containsEntry("state", "STOPPED");
		assertThat(child.isAlive()).isFalse();
		assertThat(component(http.get("/actuator/health").json())).containsEntry("status", "OUT_OF_SERVICE");
		assertThat(http.post("/actuator/mcpstdio/worker/restart").json()).containsEntry("state", "RUNNING");
	}

	@Test
	void unknownActionOrServerIsABadRequest() throws Exception {
		Http http = new Http(this.port);
		assertThat(http.post("/actuator/mcpstdio/worker/explode").status()).isEqualTo(400);
		assertThat(http.post("/actuator/mcpstdio/nope/restart").status()).isEqualTo(400);
		assertThat(this.servers.server("worker").state()).isEqualTo(ServerState.RUNNING);
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> component(Map<String, Object> health) {
		Map<String, Object> components = (Map<String, Object>) health.get("components");
		Map<String, Object> mcp = (Map<String, Object>) components.get("mcpStdio");
		return (Map<String, Object>) ((Map<String, Object>) mcp.get("components")).get("worker");
	}

}
