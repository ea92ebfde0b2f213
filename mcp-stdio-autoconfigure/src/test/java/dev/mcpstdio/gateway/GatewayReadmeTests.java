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
 * The README's gateway configuration works as pasted: a web application with it serves
 * its server at /mcp/everything (its pool is not filled, so that the test needs no
 * network).
 */
class GatewayReadmeTests {

	@Test
	void theReadmesGatewayBlockServesItsServer() throws Exception {
		String readme = Files.readString(Path.of("..", "README.md"));
		String section = readme.substring(readme.indexOf("## The gateway\n"));
		String yaml = section.substring(section.indexOf("```yaml\n") + 8, section.indexOf("```\n", 10));
		Path file = Files.createTempFile("gateway-readme", ".yml");
		Files.writeString(file, yaml);
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(GatewayTestApplication.class)
			.properties("spring.config.additional-location=file:" + file, "server.port=0",
					"mcp.stdio.servers.everything.pool.min-idle=0", "management.otlp.metrics.export.enabled=false")
			.run()) {
			McpStdioGateway gateway = context.getBean(McpStdioGateway.class);
			assertThat(gateway.sessionsByServer()).isEqualTo(Map.of("everything", 0));
			assertThat(context.getEnvironment().getProperty("server.address")).isEqualTo("127.0.0.1");
			McpHttpClient client = new McpHttpClient(GatewayTestApplication.port(context), "everything");
			McpHttpClient.Response response = client.post(null, McpHttpClient.call(1, "echo", Map.of()));
			assertThat(response.status()).as("served: a call without a session is refused for that alone")
				.isEqualTo(400);
			assertThat(List.of(response.body())).allSatisfy((body) -> assertThat(body).contains("Mcp-Session-Id"));
		}
		finally {
			Files.delete(file);
		}
	}

}
