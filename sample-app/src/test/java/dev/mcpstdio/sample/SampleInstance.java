package dev.mcpstdio.sample;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.json.JsonMapper;

import static org.awaitility.Awaitility.await;

/**
 * One instance of the sample application in a JVM of its own, its gateway on a port with
 * an instance id; its servers carry a marker in their command lines, so that what it
 * leaves behind can be found.
 */
final class SampleInstance implements AutoCloseable {

	private static final JsonMapper json = JsonMapper.builder().build();

	private final String id;

	private final int port;

	private final String marker;

	private final Process process;

	private final Path output;

	private SampleInstance(String id, int port, String marker, Process process, Path output) {
		this.id = id;
		this.port = port;
		this.marker = marker;
		this.process = process;
		this.output = output;
	}

	/**
	 * Starts an instance.
	 * @param id its gateway's instance id
	 * @param port its port on 127.0.0.1
	 * @param run a text that every process of the test's carries
	 */
	static SampleInstance start(String id, int port, String run) throws IOException {
		String marker = "-Dsample.run=" + run + "-" + id;
		String jvmArgs = "-Xmx64m,-XX:+UseSerialGC,-XX:TieredStopAtLevel=1," + marker;
		List<String> command = new ArrayList<>(
				List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-cp",
						System.getProperty("java.class.path"), SampleApplication.class.getName(),
						"--server.address=127.0.0.1", "--server.port=" + port, "--mcp.stdio.gateway.enabled=true",
						"--mcp.stdio.gateway.allow-unauthenticated=true", "--mcp.stdio.gateway.instance-id=" + id,
						"--mcp.stdio.gateway.drain-timeout=30s", "--management.endpoint.health.probes.enabled=true",
						"--mcp.stdio.servers.demo.java.jvm-args=" + jvmArgs,
						"--mcp.stdio.servers.demo-session.java.jvm-args=" + jvmArgs,
						"--mcp.stdio.servers.stubborn.java.jvm-args=-Xmx32m," + marker));
		Path output = Files.createTempFile("gateway-" + id, ".out");
		Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
		return new SampleInstance(id, port, marker, process, output);
	}

	/** A free port of the loopback address. */
	static int freePort() throws IOException {
		try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return free.getLocalPort();
		}
	}

	/** Waits for its readiness to answer 200. */
	SampleInstance awaitReady() {
		await().atMost(Duration.ofSeconds(120)).ignoreExceptions().until(() -> {
			if (!this.process.isAlive()) {
				throw new AssertionError(this.id + " exited: " + Files.readString(this.output));
			}
			return readiness() == 200;
		});
		return this;
	}

	/** The status of its readiness probe. */
	int readiness() throws Exception {
		return SampleHttp.get(this.port, "/actuator/health/readiness").statusCode();
	}

	/** The details of its gateway's health. */
	@SuppressWarnings("unchecked")
	Map<String, Object> gateway() throws Exception {
		HttpResponse<String> health = SampleHttp.get(this.port, "/actuator/health");
		Map<String, Object> components = (Map<String, Object>) json.readValue(health.body(), Map.class)
			.get("components");
		return (Map<String, Object>) ((Map<String, Object>) components.get("mcpStdioGateway")).get("details");
	}

	String id() {
		return this.id;
	}

	int port() {
		return this.port;
	}

	/** What its processes, and it, carry in their command lines. */
	String marker() {
		return this.marker;
	}

	Process process() {
		return this.process;
	}

	/** What it printed. */
	String output() throws IOException {
		return Files.readString(this.output);
	}

	@Override
	public void close() throws IOException {
		this.process.destroyForcibly();
		Files.deleteIfExists(this.output);
	}

}
