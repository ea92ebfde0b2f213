package dev.mcpstdio.autoconfigure;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import dev.mcpstdio.fixture.Fixtures;
import dev.mcpstdio.process.platform.ProcessTree;
import dev.mcpstdio.server.McpStdioServer;
import dev.mcpstdio.server.McpStdioServers;
import dev.mcpstdio.server.McpStdioSession;
import dev.mcpstdio.server.ServerState;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.ai.tool.ToolCallback;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Real application contexts with real fixture servers: start, stop order, parallelism,
 * sessions, failures.
 */
@ExtendWith(OutputCaptureExtension.class)
class McpStdioLifecycleTests {

	private final List<ConfigurableApplicationContext> contexts = new ArrayList<>();

	@AfterEach
	void closeContexts() {
		this.contexts.forEach(ConfigurableApplicationContext::close);
		assertThat(Fixtures.runningChildren()).as("processes left by the test").isEmpty();
	}

	@Test
	void stopOrderFollowsDependsOn() {
		ConfigurableApplicationContext context = run(FixtureProperties.server("base", "--ignore-eof"),
				FixtureProperties.server("db", "--ignore-eof"), List.of("mcp.stdio.servers.db.depends-on=base"),
				FixtureProperties.server("app", "--ignore-eof"), List.of("mcp.stdio.servers.app.depends-on=db"));
		Map<String, Instant> exits = recordExits(context.getBean(McpStdioServers.class));
		context.close();
		await().atMost(Duration.ofSeconds(5)).until(() -> exits.size() == 3);
		assertThat(exits.get("app")).isBefore(exits.get("db"));
		assertThat(exits.get("db")).isBefore(exits.get("base"));
	}

	@Test
	void independentStubbornServersStopConcurrently(CapturedOutput output) {
		int count = 6;
		List<List<String>> servers = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			List<String> server = new ArrayList<>(
					FixtureProperties.server("stubborn" + i, "--ignore-eof", "--ignore-term", "--grandchild"));
			// each stop lasts 2.5 s at least: the others have that long to begin
			server.add("mcp.stdio.servers.stubborn" + i + ".shutdown.term-timeout=2s");
			servers.add(server);
		}
		ConfigurableApplicationContext context = run(servers.toArray(new List[0]));
		McpStdioServers registry = context.getBean(McpStdioServers.class);
		Set<ProcessHandle> trees = awaitTrees(registry);
		int closing = output.getOut().length();
		assertTimeoutPreemptively(Duration.ofSeconds(60), context::close);
		assertThat(trees).hasSize(count * 2).noneMatch(ProcessTree::isRunning);
		// a stop begins by closing the child's stdin, which the child reports on stderr:
		// every stop had begun before the first ended, as none could have, one after
		// another
		String log = output.getOut().substring(closing);
		int firstStopped = log.indexOf("' stopped: pid ");
		assertThat(firstStopped).as("a stop's end in the log:%n%s", log).isPositive();
		for (int i = 0; i < count; i++) {
			assertThat(log.indexOf("mcp.stdio.stubborn" + i + " - stdin closed")).as("the EOF of stubborn%d", i)
				.isNotNegative()
				.isLessThan(firstStopped);
		}
	}

	@Test
	void independentServersStartInParallel() {
		List<List<String>> servers = new ArrayList<>();
		for (int i = 0; i < 6; i++) {
			servers.add(FixtureProperties.server("s" + i));
		}
		ConfigurableApplicationContext context = run(servers.toArray(new List[0]));
		List<McpStdioServer> all = context.getBean(McpStdioServers.class).servers();
		assertThat(all).extracting(McpStdioServer::state).containsOnly(ServerState.RUNNING);
		Instant lastLaunched = all.stream()
			.map((server) -> ProcessHandle.of(server.pid().orElseThrow())
				.orElseThrow()
				.info()
				.startInstant()
				.orElseThrow())
			.max(Instant::compareTo)
			.orElseThrow();
		Instant firstReady = all.stream()
			.map((server) -> server.status().startedAt())
			.min(Instant::compareTo)
			.orElseThrow();
		// every process was launched before the first one had finished initializing
		assertThat(lastLaunched).isBefore(firstReady);
	}

	@Test
	void sessionsOfKeepAliveFalseServerLeaveNoProcess() {
		ConfigurableApplicationContext context = run(FixtureProperties.server("own"),
				List.of("mcp.stdio.servers.own.keep-alive=false"));
		McpStdioServers servers = context.getBean(McpStdioServers.class);
		ProcessHandle child;
		McpStdioSession session = servers.openSession("own");
		try (session) {
			long pid = Long.parseLong(
					((TextContent) session.client().callTool(new CallToolRequest("pid", Map.of())).content().get(0))
						.text());
			child = ProcessHandle.of(pid).orElseThrow();
		}
		session.whenStopped().join();
		assertThat(ProcessTree.isRunning(child)).isFalse();
		assertThat(Fixtures.runningChildren()).isEmpty();
	}

	@Test
	void contextCloseWaitsForTheProcessesOfClosedSessionsStillStopping() {
		ConfigurableApplicationContext context = run(
				FixtureProperties.server("stubborn", "--ignore-eof", "--ignore-term", "--grandchild"),
				// its SIGKILL 5.5 s after the close at the earliest
				List.of("mcp.stdio.servers.stubborn.keep-alive=false",
						"mcp.stdio.servers.stubborn.shutdown.eof-timeout=5s"));
		McpStdioSession session = context.getBean(McpStdioServers.class).openSession("stubborn");
		ProcessHandle child = ProcessHandle.of(session.pid().orElseThrow()).orElseThrow();
		List<ProcessHandle> tree = new ArrayList<>(List.of(child));
		await().atMost(Duration.ofSeconds(10)).until(() -> child.descendants().findAny().isPresent());
		tree.addAll(child.descendants().toList());
		session.close();
		assertThat(session.whenStopped()).as("closing a session does not wait for its ladder").isNotDone();
		context.close();
		assertThat(session.whenStopped()).isDone();
		assertThat(tree).noneMatch(ProcessTree::isRunning);
	}

	@Test
	void requiredServerThatCannotStartFailsStartupWithExitCodeAndStderr(CapturedOutput output) {
		assertThatException().isThrownBy(() -> run(FixtureProperties.server("broken", "--die-on-initialize=9")))
			.satisfies((failure) -> {
				FailureAnalysis analysis = new McpStdioStartupFailureAnalyzer().analyze(failure);
				assertThat(analysis).isNotNull();
				assertThat(analysis.getDescription()).contains("MCP server 'broken'", "code 9",
						"cannot initialize: missing configuration");
				assertThat(analysis.getAction()).contains("mcp.stdio.servers.broken.required=false");
			});
		// the restart decision is made in the failing start, before the context fails:
		// a failure of the application's start announces no restart
		assertThat(output.getOut()).containsPattern("MCP server 'broken' exited with code 9 \\(pid \\d+\\)")
			.doesNotContain("'broken': trying to start it again")
			.doesNotContain("'broken': restarting it");
		// one WARN for the exit, not a second for the initialize it ended
		assertThat(output.getOut().lines().filter((line) -> line.contains(" WARN ") && line.contains("'broken'")))
			.singleElement()
			.asString()
			.contains("exited with code 9");
	}

	@Test
	void serverThatExitsWhileTheContextClosesIsNotRestarted(CapturedOutput output) throws Exception {
		// 'app' depends on 'base' and takes its whole ladder (3 + 3 s) to stop: 'base'
		// waits its turn, and its process dies meanwhile (as when a service manager
		// signals every
		// process of the application)
		ConfigurableApplicationContext context = run(FixtureProperties.server("base"),
				List.of("mcp.stdio.servers.base.restart.initial-backoff=50ms"),
				FixtureProperties.server("app", "--ignore-eof", "--ignore-term"),
				List.of("mcp.stdio.servers.app.depends-on=base", "mcp.stdio.servers.app.shutdown.eof-timeout=3s",
						"mcp.stdio.servers.app.shutdown.term-timeout=3s"));
		McpStdioServers servers = context.getBean(McpStdioServers.class);
		McpStdioServer base = servers.server("base");
		McpStdioServer app = servers.server("app");
		ProcessHandle baseProcess = ProcessHandle.of(base.pid().orElseThrow()).orElseThrow();
		CompletableFuture<Void> closing = CompletableFuture.runAsync(context::close);
		await().atMost(Duration.ofSeconds(10)).until(() -> app.state() == ServerState.STOPPING);
		baseProcess.destroyForcibly();
		// its exit is taken in, and the restart decided, before its state leaves RUNNING
		await().atMost(Duration.ofSeconds(10)).until(() -> base.state() != ServerState.RUNNING);
		assertThat(base.state()).isEqualTo(ServerState.STOPPED);
		assertThat(output.getOut()).contains("MCP server 'base' is not restarted: its stop is coming")
			.doesNotContain("'base': restarting it");
		closing.get();
		assertThat(base.state()).isEqualTo(ServerState.STOPPED);
	}

	@Test
	void serverThatIsNotRequiredLetsTheApplicationStart() {
		ConfigurableApplicationContext context = run(FixtureProperties.server("optional", "--die-on-initialize=9"),
				List.of("mcp.stdio.servers.optional.required=false",
						"mcp.stdio.servers.optional.restart.max-restarts=1",
						"mcp.stdio.servers.optional.restart.initial-backoff=100ms"),
				FixtureProperties.server("fine"));
		McpStdioServers servers = context.getBean(McpStdioServers.class);
		assertThat(servers.server("fine").state()).isEqualTo(ServerState.RUNNING);
		await().atMost(Duration.ofSeconds(30)).until(() -> servers.server("optional").state() == ServerState.FAILED);
		assertThat(servers.server("optional").status().lastExitCode()).isEqualTo(9);
	}

	@Test
	void toolCallbacksOfEveryServerAreNamedAfterTheirServer() {
		ConfigurableApplicationContext context = run(FixtureProperties.server("alpha"),
				FixtureProperties.server("beta"));
		ToolCallback[] callbacks = context.getBean(McpStdioToolCallbackProvider.class).getToolCallbacks();
		List<String> names = Arrays.stream(callbacks).map((c) -> c.getToolDefinition().name()).toList();
		assertThat(names).contains("alpha_echo", "beta_echo");
		ToolCallback echo = Arrays.stream(callbacks)
			.filter((c) -> c.getToolDefinition().name().equals("beta_echo"))
			.findFirst()
			.orElseThrow();
		assertThat(echo.call("{\"text\":\"through spring ai\"}")).contains("through spring ai");
	}

	@Test
	void toolCallbacksFollowAServerRestartedIntoOtherTools(@TempDir Path dir) throws Exception {
		Path marker = dir.resolve("extra");
		ConfigurableApplicationContext context = run(
				FixtureProperties.server("shifty", "--extra-tool-if-exists=" + marker),
				List.of("mcp.stdio.servers.shifty.restart.initial-backoff=50ms"));
		McpStdioToolCallbackProvider provider = context.getBean(McpStdioToolCallbackProvider.class);
		assertThat(toolNames(provider)).contains("shifty_echo").doesNotContain("shifty_extra");
		Files.createFile(marker);
		McpStdioServer server = context.getBean(McpStdioServers.class).server("shifty");
		ProcessHandle.of(server.pid().orElseThrow()).orElseThrow().destroyForcibly();
		await().atMost(Duration.ofSeconds(30)).until(() -> toolNames(provider).contains("shifty_extra"));
		ToolCallback extra = Arrays.stream(provider.getToolCallbacks())
			.filter((c) -> c.getToolDefinition().name().equals("shifty_extra"))
			.findFirst()
			.orElseThrow();
		assertThat(extra.call("{}")).contains("extra");
	}

	@Test
	void contextCloseWithGrandchildHoldingStdoutReturnsThroughTheLadder(CapturedOutput output) {
		ConfigurableApplicationContext context = run(
				FixtureProperties.server("holder", "--ignore-eof", "--ignore-term", "--grandchild"));
		Set<ProcessHandle> tree = awaitTrees(context.getBean(McpStdioServers.class));
		// every wait of the ladder has its deadline: a close that does not return long
		// after them hangs on the grandchild's stdout
		assertTimeoutPreemptively(Duration.ofSeconds(30), context::close);
		assertThat(tree).noneMatch(ProcessTree::isRunning);
		// the ladder's last step ended it, with nothing left when its time was up
		assertThat(output.getOut()).containsPattern("MCP server 'holder' stopped: pid \\d+, SIGKILL after")
			.doesNotContain("survived SIGKILL");
	}

	@SafeVarargs
	private ConfigurableApplicationContext run(List<String>... servers) {
		ConfigurableApplicationContext context = new SpringApplicationBuilder(TestApplication.class)
			.web(WebApplicationType.NONE)
			.properties(FixtureProperties.servers(servers))
			.properties("spring.main.banner-mode=off")
			.run();
		this.contexts.add(context);
		return context;
	}

	private static List<String> toolNames(McpStdioToolCallbackProvider provider) {
		return Arrays.stream(provider.getToolCallbacks()).map((c) -> c.getToolDefinition().name()).toList();
	}

	private static Map<String, Instant> recordExits(McpStdioServers servers) {
		Map<String, Instant> exits = new ConcurrentHashMap<>();
		for (McpStdioServer server : servers.servers()) {
			ProcessHandle.of(server.pid().orElseThrow())
				.orElseThrow()
				.onExit()
				.thenRun(() -> exits.put(server.name(), Instant.now()));
		}
		return exits;
	}

	private static Set<ProcessHandle> awaitTrees(McpStdioServers servers) {
		List<ProcessHandle> children = servers.servers()
			.stream()
			.map((server) -> ProcessHandle.of(server.pid().orElseThrow()).orElseThrow())
			.toList();
		await().atMost(Duration.ofSeconds(30))
			.until(() -> children.stream().allMatch((child) -> child.descendants().findAny().isPresent()));
		return children.stream()
			.flatMap((child) -> java.util.stream.Stream.concat(java.util.stream.Stream.of(child), child.descendants()))
			.collect(Collectors.toSet());
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration(McpStdioAutoConfiguration.class)
	static class TestApplication {

	}

}
