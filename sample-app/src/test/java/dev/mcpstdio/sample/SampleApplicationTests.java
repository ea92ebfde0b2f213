package dev.mcpstdio.sample;

import java.net.http.HttpResponse;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample as a user meets it: health UP, its tools listed and called over HTTP.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class SampleApplicationTests {

	private static final JsonMapper json = JsonMapper.builder().build();

	@LocalServerPort
	int port;

	@Test
	@SuppressWarnings("unchecked")
	void healthIsUpWithEveryServer() throws Exception {
		HttpResponse<String> response = get("/actuator/health");
		assertThat(response.statusCode()).isEqualTo(200);
		Map<String, Object> health = json.readValue(response.body(), Map.class);
		Map<String, Object> mcp = (Map<String, Object>) ((Map<String, Object>) health.get("components"))
			.get("mcpStdio");
		assertThat(mcp).containsEntry("status", "UP");
		Map<String, Object> servers = (Map<String, Object>) mcp.get("components");
		assertThat(servers).containsOnlyKeys("demo", "demo-session", "stubborn");
		Map<String, Object> session = (Map<String, Object>) servers.get("demo-session");
		assertThat(session).containsEntry("status", "UP");
		assertThat((Map<String, Object>) session.get("details")).containsEntry("state", "ON_DEMAND");
	}

	@Test
	@SuppressWarnings("unchecked")
	void eachServerHasAHealthPathOfItsOwn() throws Exception {
		HttpResponse<String> response = get("/actuator/health/mcpStdio/demo");
		assertThat(response.statusCode()).isEqualTo(200);
		Map<String, Object> demo = json.readValue(response.body(), Map.class);
		assertThat(demo).containsEntry("status", "UP");
		assertThat((Map<String, Object>) demo.get("details")).containsEntry("state", "RUNNING").containsKey("pid");
	}

	@Test
	void toolsAreListedByServer() throws Exception {
		SampleHttp.assertToolsListed(this.port);
	}

	@Test
	void toolCallOverHttpWorksForSharedAndPerSessionServers() throws Exception {
		SampleHttp.assertToolsAnswer(this.port);
	}

	private HttpResponse<String> get(String path) throws Exception {
		return SampleHttp.get(this.port, path);
	}

}
