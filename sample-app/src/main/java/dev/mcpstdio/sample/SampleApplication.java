package dev.mcpstdio.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The sample: a web application whose MCP servers are managed by mcp-stdio. Run with the
 * profile {@code cli} to make one tool call and exit.
 */
@SpringBootApplication
public class SampleApplication {

	public static void main(String[] args) {
		SpringApplication.run(SampleApplication.class, args);
	}

}
