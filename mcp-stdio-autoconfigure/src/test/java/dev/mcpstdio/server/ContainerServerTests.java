package dev.mcpstdio.server;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.mcpstdio.fixture.Podman;
import dev.mcpstdio.fixture.Sandboxes;
import dev.mcpstdio.process.ProcessLauncher;
import dev.mcpstdio.process.ProcessSpec;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.awaitility.Awaitility.await;

/**
 * Keep-alive servers in real containers (podman): status names the engine and container,
 * a killed container is a crash like any other, a stop leaves no container, and an image
 * that cannot be pulled fails the start with the engine's own message.
 */
@EnabledOnOs(OS.LINUX)
class ContainerServerTests {

	private final List<McpStdioServers> registries = new ArrayList<>();

	@BeforeEach
	void podman() {
		Podman.assumeAvailable();
	}

	@AfterEach
	void close() {
		this.registries.forEach(McpStdioServers::close);
	}

	@AfterAll
	static void removeContainers() {
		Podman.removeAll();
	}

	@Test
	void keepAliveServerInAContainerIsRestartedAfterItsContainerIsKilled() {
		McpStdioServers servers = registry(Podman.python("boxed").build());
		servers.startAll().join();
		McpStdioServer server = servers.server("boxed");
		ServerStatus.ContainerInfo first = server.status().container();
		assertThat(first).isNotNull();
		assertThat(first.engine()).isEqualTo("podman");
		assertThat(first.id()).isNotBlank();
		assertThat(echo(servers, "one")).isEqualTo("one");
		Podman.run("kill", first.id());
		await().atMost(Duration.ofSeconds(30)).until(() -> {
			ServerStatus.ContainerInfo now = server.status().container();
			return server.state() == ServerState.RUNNING && now != null && now.id() != null
					&& !now.id().equals(first.id());
		});
		assertThat(server.status().restarts()).isEqualTo(1);
		assertThat(echo(servers, "again")).isEqualTo("again");
		assertThat(Podman.containers("dev.mcpstdio.server=boxed")).doesNotContain(first.id());
	}

	@Test
	void sandboxedServerInAContainerIsConfinedByTheEngineAlone() {
		McpStdioServers servers = registry(Podman.python("boxed")
			.confinement(Sandboxes.confined(Sandboxes.sandbox(List.of(), List.of(), List.of(), List.of())))
			.build());
		servers.startAll().join();
		ServerStatus status = servers.server("boxed").status();
		assertThat(status.sandbox()).isEqualTo("container");
		assertThat(echo(servers, "confined")).isEqualTo("confined");
		assertThat(Podman.run("inspect", "--format",
				"{{.HostConfig.ReadonlyRootfs}} {{.HostConfig.NetworkMode}} {{.HostConfig.SecurityOpt}}",
				status.container().id()))
			.isEqualTo("true none [no-new-privileges]");
		// no bubblewrap around the engine's CLI: the engine confines
		assertThat(ProcessHandle.of(status.pid()).orElseThrow().info().commandLine().orElse(""))
			.doesNotContain("bwrap");
	}

	@Test
	void stoppedServerLeavesNoContainer() {
		McpStdioServers servers = registry(Podman.python("tidy", "--ignore-term", "--ignore-eof").build());
		servers.startAll().join();
		String id = servers.server("tidy").status().container().id();
		assertThat(Podman.testContainers()).contains(id);
		servers.server("tidy").stop();
		assertThat(Podman.testContainers()).doesNotContain(id);
	}

	@Test
	void imageThatCannotBePulledFailsTheStartWithTheEnginesMessage() {
		ProcessSpec spec = ProcessSpec
			.command("unpullable", Podman.executable().toString(), List.of("run", "-i", "--pull=always", "--label",
					Podman.TEST_LABEL + "=" + Podman.RUN, "docker.io/library/mcp-stdio-no-such-image:1"))
			.build();
		McpStdioServers servers = registry(spec);
		assertThatException().isThrownBy(() -> servers.startAll().join())
			.withMessageContaining("unpullable")
			.withMessageContaining("mcp-stdio-no-such-image");
	}

	private McpStdioServers registry(ProcessSpec spec) {
		McpStdioServers servers = new McpStdioServers(List.of(McpStdioServersTests.definition(spec.name(), spec)),
				ProcessLauncher.shared(), McpJsonDefaults.getMapper(), Clock.systemUTC());
		this.registries.add(servers);
		return servers;
	}

	private static String echo(McpStdioServers servers, String text) {
		return ((TextContent) servers.client("boxed")
			.callTool(new CallToolRequest("echo", Map.of("text", text)))
			.content()
			.get(0)).text();
	}

}
