package dev.mcpstdio.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.mcpstdio.fixture.Podman;
import dev.mcpstdio.server.McpStdioServer;
import dev.mcpstdio.server.McpStdioServers;
import dev.mcpstdio.server.ServerState;
import dev.mcpstdio.server.ServerStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Servers in real containers (podman) in a real application context: a context close
 * leaves no container, within the ladder's bound; the starter's own engine commands keep
 * the global options of the server's command; an engine that cannot be reached fails the
 * start naming the server and quoting the engine.
 */
@EnabledOnOs(OS.LINUX)
class ContainerContextTests {

	private final List<ConfigurableApplicationContext> contexts = new ArrayList<>();

	@BeforeEach
	void podman() {
		Podman.assumeAvailable();
	}

	@AfterEach
	void closeContexts() {
		this.contexts.forEach(ConfigurableApplicationContext::close);
	}

	@AfterAll
	static void removeContainers() {
		Podman.removeAll();
	}

	@Test
	@ExtendWith(OutputCaptureExtension.class)
	void contextCloseRemovesAContainerThatIgnoresEofAndSigtermWithinTheLadderBound(CapturedOutput output) {
		ConfigurableApplicationContext context = run(
				server("boxed", List.of(), Podman.pythonArgs("--ignore-term", "--ignore-eof")));
		ServerStatus.ContainerInfo container = context.getBean(McpStdioServers.class)
			.server("boxed")
			.status()
			.container();
		assertThat(container).isNotNull();
		assertThat(Podman.testContainers()).contains(container.id());
		// every wait of the ladder, the container's removal included, has its deadline:
		// a close that does not return long after them hangs
		assertTimeoutPreemptively(Duration.ofSeconds(30), context::close);
		assertThat(Podman.testContainers()).doesNotContain(container.id());
		// the ladder ran to its last step, and the container was seen gone before the
		// stop's deadline (else the stop says it may still exist)
		assertThat(output.getOut()).containsPattern("MCP server 'boxed' stopped: pid \\d+, SIGKILL after")
			.doesNotContain("may still exist");
	}

	@Test
	void containerOfACommandWithGlobalOptionsIsRemovedWhereTheyPointTheEngine(@TempDir Path store) {
		List<String> storage = List.of("--root", store.resolve("root").toString(), "--runroot",
				store.resolve("run").toString());
		ConfigurableApplicationContext context = run(
				server("stored", storage, Podman.pythonArgs("--ignore-term", "--ignore-eof")));
		McpStdioServer server = context.getBean(McpStdioServers.class).server("stored");
		String id = server.status().container().id();
		assertThat(containersIn(storage)).containsExactly(id);
		assertThat(Podman.testContainers()).as("the default storage").doesNotContain(id);
		server.stop();
		assertThat(containersIn(storage)).isEmpty();
	}

	@Test
	void engineThatCannotBeReachedFailsTheStartNamingTheServerAndQuotingTheEngine() {
		List<String> unreachable = List.of("--url", "unix:///nonexistent/podman.sock");
		assertThatException().isThrownBy(() -> run(server("remote", unreachable, Podman.pythonArgs())))
			.satisfies((failure) -> {
				FailureAnalysis analysis = new McpStdioStartupFailureAnalyzer().analyze(failure);
				assertThat(analysis).isNotNull();
				assertThat(analysis.getDescription()).contains("MCP server 'remote'")
					.contains("unable to connect to Podman socket");
				assertThat(analysis.getAction()).contains("mcp.stdio.servers.remote.required=false");
			});
	}

	@Test
	void optionalServerWhoseEngineCannotBeReachedIsDownWithTheEnginesMessage() {
		List<String> unreachable = List.of("--url", "unix:///nonexistent/podman.sock");
		List<String> properties = new ArrayList<>(server("remote", unreachable, Podman.pythonArgs()));
		properties.addAll(
				List.of("mcp.stdio.servers.remote.required=false", "mcp.stdio.servers.remote.restart.max-restarts=0"));
		McpStdioServer server = run(properties).getBean(McpStdioServers.class).server("remote");
		await().atMost(Duration.ofSeconds(30)).until(() -> server.state() == ServerState.FAILED);
		assertThat(server.status().lastError()).contains("MCP server 'remote'")
			.contains("unable to connect to Podman socket");
	}

	private static List<String> containersIn(List<String> storage) {
		List<String> args = new ArrayList<>(storage);
		args.addAll(
				List.of("ps", "-a", "-q", "--no-trunc", "--filter", "label=" + Podman.TEST_LABEL + "=" + Podman.RUN));
		String out = Podman.run(args.toArray(String[]::new));
		return out.isEmpty() ? List.of() : List.of(out.split("\\s+"));
	}

	/**
	 * A server run by podman, with its global options and then its arguments from run.
	 */
	private static List<String> server(String name, List<String> globalOptions, List<String> runArgs) {
		String prefix = "mcp.stdio.servers." + name + ".";
		List<String> properties = new ArrayList<>();
		properties.add(prefix + "command=" + Podman.executable());
		List<String> args = new ArrayList<>(globalOptions);
		args.addAll(runArgs);
		for (int i = 0; i < args.size(); i++) {
			properties.add(prefix + "args[" + i + "]=" + args.get(i));
		}
		properties.add(prefix + "shutdown.eof-timeout=500ms");
		properties.add(prefix + "shutdown.term-timeout=500ms");
		return properties;
	}

	private ConfigurableApplicationContext run(List<String> properties) {
		ConfigurableApplicationContext context = new SpringApplicationBuilder(
				McpStdioLifecycleTests.TestApplication.class)
			.web(WebApplicationType.NONE)
			.properties(properties.toArray(new String[0]))
			.properties("spring.main.banner-mode=off")
			.run();
		this.contexts.add(context);
		return context;
	}

}
