package dev.mcpstdio.gateway;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's gateway configuration works as pasted: a web application with it (and
 * Spring Security's resource server) serves its server at /mcp/everything to a caller
 * with the static token alone (its pool is not filled, so that the test needs no
 * network).
 */
class GatewayReadmeTests {

	/** What MCP_GATEWAY_TOKEN holds for the test. */
	private static final String TOKEN = "readme-" + java.util.UUID.randomUUID();

	@Test
	void theReadmesGatewayBlockServesItsServer() throws Exception {
		String readme = Files.readString(Path.of("..", "README.md"));
		String section = readme.substring(readme.indexOf("## The gateway\n"));
		String yaml = section.substring(section.indexOf("```yaml\n") + 8, section.indexOf("```\n", 10));
		Path file = Files.createTempFile("gateway-readme", ".yml");
		Files.writeString(file, yaml);
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(GatewayTestApplication.class)
			.properties("spring.config.additional-location=file:" + file, "server.port=0", "MCP_GATEWAY_TOKEN=" + TOKEN,
					"mcp.stdio.servers.everything.pool.min-idle=0", "management.otlp.metrics.export.enabled=false")
			.run()) {
			McpStdioGateway gateway = context.getBean(McpStdioGateway.class);
			assertThat(gateway.sessionsByServer()).isEqualTo(Map.of("everything", 0));
			assertThat(context.getEnvironment().getProperty("server.address")).isEqualTo("127.0.0.1");
			int port = GatewayTestApplication.port(context);
			Object call = McpHttpClient.call(1, "echo", Map.of());
			McpHttpClient.Response anonymous = new McpHttpClient(port, "everything").post(null, call);
			assertThat(anonymous.status()).isEqualTo(401);
			assertThat(anonymous.header("WWW-Authenticate")).startsWith("Bearer");
			McpHttpClient.Response wrong = new McpHttpClient(port, "everything", TOKEN + "x").post(null, call);
			assertThat(wrong.status()).isEqualTo(401);
			assertThat(wrong.header("WWW-Authenticate")).contains("error=\"invalid_token\"");
			McpHttpClient.Response response = new McpHttpClient(port, "everything", TOKEN).post(null, call);
			assertThat(response.status()).as("served: a call without a session is refused for that alone")
				.isEqualTo(400);
			assertThat(List.of(response.body())).allSatisfy((body) -> assertThat(body).contains("Mcp-Session-Id"));
		}
		finally {
			Files.delete(file);
		}
	}

}
