package dev.mcpstdio.gateway;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A real web application with the gateway on 127.0.0.1 and a random port, serving two
 * servers that run {@code gateway-conformance/everything-server.mjs} on setup's Node 22:
 * {@code every} with {@code keep-alive: false} (a process per session, two kept idle) and
 * {@code every-shared} with {@code keep-alive: true} (one process, multiplexed). Every
 * process of this context carries a marker of its own in its environment, so that the
 * ones it leaves behind are found among those of other runs on the machine.
 */
final class GatewayContext implements AutoCloseable {

	/** The server with a process per session. */
	static final String OWN = "every";

	/** The server whose one process the sessions share. */
	static final String SHARED = "every-shared";

	private static final String SCRIPT = "everything-server.mjs";

	private static final String MARKER_VARIABLE = "MCP_STDIO_GATEWAY_TEST";

	private final String marker = UUID.randomUUID().toString();

	private final ConfigurableApplicationContext context;

	private GatewayContext(ConformanceSetup setup, Map<String, Object> extra) {
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("server.address", "127.0.0.1");
		properties.put("server.port", "0");
		properties.put("spring.main.banner-mode", "off");
		properties.put("management.otlp.metrics.export.enabled", "false");
		properties.put("mcp.stdio.gateway.enabled", "true");
		// the suite's clients do not authenticate
		properties.put("mcp.stdio.gateway.allow-unauthenticated", "true");
		server(properties, OWN, setup, false);
		properties.put("mcp.stdio.servers." + OWN + ".pool.min-idle", "2");
		server(properties, SHARED, setup, true);
		properties.putAll(extra);
		this.context = new SpringApplicationBuilder(GatewayTestApplication.class).web(WebApplicationType.SERVLET)
			.properties(properties)
			.run();
	}

	/**
	 * Starts the application.
	 * @param setup what setup installed
	 * @param extra further properties, over the defaults
	 * @return the running application
	 */
	static GatewayContext start(ConformanceSetup setup, Map<String, Object> extra) {
		return new GatewayContext(setup, extra);
	}

	private void server(Map<String, Object> properties, String name, ConformanceSetup setup, boolean keepAlive) {
		String prefix = "mcp.stdio.servers." + name + ".";
		properties.put(prefix + "command", setup.node().toString());
		properties.put(prefix + "args[0]", setup.script(SCRIPT).toString());
		properties.put(prefix + "env.CONFORMANCE_DIR", setup.dir().toString());
		properties.put(prefix + "env." + MARKER_VARIABLE, this.marker);
		properties.put(prefix + "keep-alive", Boolean.toString(keepAlive));
	}

	/**
	 * The URL of a server's endpoint, at the address the web server listens on (a
	 * loopback one, as the conformance suite wants it).
	 */
	String url(String server) {
		int port = ((WebServerApplicationContext) this.context).getWebServer().getPort();
		return "http://127.0.0.1:" + port + "/mcp/" + server;
	}

	/** The gateway's open sessions of a server. */
	int sessions(String server) {
		return this.context.getBean(McpStdioGateway.class).sessionsByServer().getOrDefault(server, 0);
	}

	boolean isOpen() {
		return this.context.isActive();
	}

	@Override
	public void close() {
		this.context.close();
	}

	/**
	 * The running processes of {@code everything-server.mjs} (by
	 * {@code /proc/PID/cmdline}) that this context started (by the marker in
	 * {@code /proc/PID/environ}).
	 * @return each as {@code PID: command line}
	 */
	List<String> serverProcesses() throws IOException {
		List<String> found = new ArrayList<>();
		try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
			for (Path proc : entries.filter((path) -> path.getFileName().toString().matches("\\d+")).toList()) {
				String commandLine = read(proc.resolve("cmdline"));
				if (commandLine.contains(SCRIPT)
						&& read(proc.resolve("environ")).contains(MARKER_VARIABLE + "=" + this.marker + " ")) {
					found.add(proc.getFileName() + ": " + commandLine.trim());
				}
			}
		}
		return found;
	}

	/**
	 * A NUL-separated file of /proc with spaces for NULs; empty once the process is gone.
	 */
	private static String read(Path file) {
		try {
			return new String(Files.readAllBytes(file), StandardCharsets.UTF_8).replace('\0', ' ');
		}
		catch (IOException ex) {
			return "";
		}
	}

}
