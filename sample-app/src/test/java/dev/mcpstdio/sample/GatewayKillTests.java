package dev.mcpstdio.sample;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A {@code kill -9} of an application whose gateway has sessions open, each with a
 * process of its own, and one on the shared process: none of those processes survives.
 */
class GatewayKillTests {

	@Test
	@EnabledOnOs(OS.LINUX)
	void killMinus9WithGatewaySessionsOpenLeavesNoProcess() throws Exception {
		String marker = "-Dsample.run=" + UUID.randomUUID();
		int port;
		try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			port = free.getLocalPort();
		}
		List<String> command = new ArrayList<>(
				List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
						System.getProperty("java.class.path"), SampleApplication.class.getName(),
						"--server.address=127.0.0.1", "--server.port=" + port, "--mcp.stdio.gateway.enabled=true",
						"--mcp.stdio.gateway.allow-unauthenticated=true",
						"--mcp.stdio.servers.demo.java.jvm-args=-Xmx64m," + marker,
						"--mcp.stdio.servers.demo-session.java.jvm-args=-Xmx64m," + marker,
						"--mcp.stdio.servers.stubborn.java.jvm-args=-Xmx32m," + marker));
		Path output = Files.createTempFile("gateway-kill", ".out");
		Process application = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(output.toFile())
			.start();
		try {
			GatewayHttp gateway = new GatewayHttp(port);
			await().atMost(Duration.ofSeconds(120)).ignoreExceptions().until(() -> gateway.initialize("demo") != null);
			for (int i = 0; i < 3; i++) {
				String session = gateway.initialize("demo-session");
				assertThat(gateway.call("demo-session", session, "add", "{\"a\":2,\"b\":3}").body()).contains("5");
			}
			// three sessions' own processes, the shared one, stubborn and its grandchild
			assertThat(Processes.with(marker)).hasSizeGreaterThanOrEqualTo(5);
			application.destroyForcibly().waitFor();
			await().atMost(Duration.ofSeconds(30)).until(() -> Processes.with(marker).isEmpty());
		}
		finally {
			application.destroyForcibly();
			Files.deleteIfExists(output);
		}
	}

}
