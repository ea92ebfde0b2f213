package dev.mcpstdio.sample;

import java.util.Arrays;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.core.NativeDetector;

/**
 * The sample: a web application whose MCP servers are managed by mcp-stdio. Run with the
 * profile {@code cli} to make one tool call and exit. Given {@code --mcp-server=demo} or
 * {@code --mcp-server=stubborn} first, it is that MCP server instead: a native image has
 * no class path to run its servers from, so it runs itself (the profile {@code native},
 * which it takes on its own in a native image).
 */
@SpringBootApplication
public class SampleApplication {

	/** The first argument that makes the sample one of its MCP servers. */
	static final String SERVER_ARGUMENT = "--mcp-server=";

	/** The system property the profile {@code native} finds the executable in. */
	static final String EXECUTABLE_PROPERTY = "mcp-stdio.sample.executable";

	public static void main(String[] args) throws Exception {
		if (args.length > 0 && args[0].startsWith(SERVER_ARGUMENT)) {
			runServer(args[0].substring(SERVER_ARGUMENT.length()), Arrays.copyOfRange(args, 1, args.length));
			return;
		}
		SpringApplication application = new SpringApplication(SampleApplication.class);
		if (NativeDetector.inNativeImage()) {
			ProcessHandle.current()
				.info()
				.command()
				.ifPresent((executable) -> System.setProperty(EXECUTABLE_PROPERTY, executable));
			application.setAdditionalProfiles("native");
		}
		application.run(args);
	}

	private static void runServer(String name, String[] args) throws Exception {
		switch (name) {
			case "demo" -> DemoMcpServer.main(args);
			case "stubborn" -> StubbornMcpServer.main(args);
			default -> throw new IllegalArgumentException(
					"No MCP server '" + name + "' in the sample: " + SERVER_ARGUMENT + "demo or stubborn");
		}
	}

}
