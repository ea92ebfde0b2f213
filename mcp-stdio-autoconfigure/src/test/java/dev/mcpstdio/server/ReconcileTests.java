package dev.mcpstdio.server;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.mcpstdio.fixture.Fixtures;
import dev.mcpstdio.process.ProcessLauncher;
import dev.mcpstdio.process.platform.ProcessTree;
import dev.mcpstdio.transport.error.McpStdioRefusedException;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * {@link McpStdioServers#reconcile} on real fixtures: equal definitions keep their
 * process, changed ones restart with the servers that depend on them, removed ones stop,
 * new ones start, and invalid definitions change nothing.
 */
class ReconcileTests {

	private McpStdioServers servers = registry(List.of());

	@AfterEach
	void close() {
		this.servers.close();
	}

	@Test
	void reconcileKeepsEqualServersRestartsChangedOnesWithTheirDependentsAndStopsRemovedOnes() throws Exception {
		this.servers = registry(List.of(definition("db", "v1"), definition("api", "v1", "db"), definition("kept", "v1"),
				definition("gone", "v1")));
		List<String> events = new CopyOnWriteArrayList<>();
		this.servers.addServersChangedListener((added, removed) -> events.add(names(added) + " " + names(removed)));
		this.servers.startAll().join();
		long db = pid("db");
		long api = pid("api");
		long kept = pid("kept");
		long gone = pid("gone");
		// the dependent's process must be gone when the one it depends on exits
		CompletableFuture<Boolean> apiRunningWhenDbExited = ProcessHandle.of(db)
			.orElseThrow()
			.onExit()
			.thenApply((handle) -> ProcessHandle.of(api).map(ProcessTree::isRunning).orElse(false));

		ServerChanges changes = this.servers.reconcile(List.of(definition("db", "v2"), definition("api", "v1", "db"),
				definition("kept", "v1"), definition("new", "v1")))
			.get(60, TimeUnit.SECONDS);

		assertThat(changes.changed()).containsExactly("db");
		assertThat(changes.restarted()).containsExactly("api");
		assertThat(changes.unchanged()).containsExactly("kept");
		assertThat(changes.added()).containsExactly("new");
		assertThat(changes.removed()).containsExactly("gone");
		assertThat(this.servers.names()).containsExactly("db", "api", "kept", "new");
		assertThat(pid("kept")).isEqualTo(kept);
		assertThat(pid("db")).isNotEqualTo(db);
		assertThat(pid("api")).isNotEqualTo(api);
		assertThat(List.of(db, api, gone))
			.allSatisfy((old) -> assertThat(ProcessHandle.of(old).filter(ProcessTree::isRunning)).isEmpty());
		assertThat(apiRunningWhenDbExited.get(30, TimeUnit.SECONDS)).isFalse();
		// started as at startup: the dependent after the server it depends on
		assertThat(started("api")).isAfterOrEqualTo(started("db"));
		assertThat(echo("db")).isEqualTo("hello");
		assertThat(echo("new")).isEqualTo("hello");
		assertThat(this.servers.server("db").definition()).isEqualTo(definition("db", "v2"));
		assertThat(events).containsExactly("[db, api, new] [gone, db, api]");
	}

	@Test
	void callersOfUnchangedServersNeverFailThroughAReconcile() throws Exception {
		this.servers = registry(List.of(definition("steady", "v1"), definition("moving", "v1")));
		this.servers.startAll().join();
		long steady = pid("steady");
		AtomicBoolean stop = new AtomicBoolean();
		AtomicInteger calls = new AtomicInteger();
		List<Throwable> failures = new CopyOnWriteArrayList<>();
		List<Thread> callers = new ArrayList<>();
		for (int i = 0; i < 4; i++) {
			Thread caller = new Thread(() -> {
				while (!stop.get()) {
					try {
						echo("steady");
						calls.incrementAndGet();
					}
					catch (RuntimeException ex) {
						failures.add(ex);
					}
				}
			});
			caller.start();
			callers.add(caller);
		}
		Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> calls.get() > 100);
		this.servers.reconcile(List.of(definition("steady", "v1"), definition("moving", "v2")))
			.get(60, TimeUnit.SECONDS);
		int afterReconcile = calls.get();
		Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> calls.get() > afterReconcile + 100);
		stop.set(true);
		for (Thread caller : callers) {
			caller.join();
		}
		assertThat(failures).isEmpty();
		assertThat(pid("steady")).isEqualTo(steady);
	}

	@Test
	void clientAndServerOfTheDefinitionBeforeAreRefusedNamingTheFix() throws Exception {
		this.servers = registry(List.of(definition("a", "v1")));
		this.servers.startAll().join();
		pid("a");
		McpSyncClient before = this.servers.client("a");
		McpStdioServer server = this.servers.server("a");
		this.servers.reconcile(List.of(definition("a", "v2"))).get(60, TimeUnit.SECONDS);
		String fix = "Get the server, its client or a session again from McpStdioServers (client(\"a\"),"
				+ " openSession(\"a\"))";
		assertThatExceptionOfType(McpStdioRefusedException.class)
			.isThrownBy(() -> before.callTool(new CallToolRequest("echo", Map.of("text", "hello"))))
			.withMessage("MCP server 'a' was unregistered or replaced by a new definition while the application ran:"
					+ " request 'tools/call' refused. " + fix);
		assertThatExceptionOfType(McpStdioRefusedException.class).isThrownBy(server::restart)
			.withMessageContaining("it cannot be restarted. " + fix);
		assertThat(server.pid()).isEmpty();
		assertThat(echo("a")).isEqualTo("hello");
	}

	@Test
	void reconcileThatComesBeforeTheLastOneEndedLeavesOneProcessOfTheLatestDefinition() throws Exception {
		Instant testStart = Instant.now().minusSeconds(1);
		this.servers = registry(List.of(definition("a", "v1")));
		this.servers.startAll().join();
		long v1 = pid("a");
		CompletableFuture<ServerChanges> second = this.servers.reconcile(List.of(definition("a", "v2")));
		CompletableFuture<ServerChanges> third = this.servers.reconcile(List.of(definition("a", "v3")));
		second.get(60, TimeUnit.SECONDS);
		third.get(60, TimeUnit.SECONDS);
		assertThat(this.servers.server("a").definition()).isEqualTo(definition("a", "v3"));
		long v3 = pid("a");
		assertThat(ProcessHandle.of(v1).filter(ProcessTree::isRunning)).isEmpty();
		assertThat(Fixtures.runningChildren())
			.filteredOn((child) -> child.info().startInstant().map((start) -> start.isAfter(testStart)).orElse(false))
			.extracting(ProcessHandle::pid)
			.containsExactly(v3);
		assertThat(echo("a")).isEqualTo("hello");
	}

	@Test
	void invalidDefinitionsChangeNothing() {
		this.servers = registry(List.of(definition("a", "v1"), definition("b", "v1")));
		this.servers.startAll().join();
		long a = pid("a");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.servers.reconcile(List.of(definition("a", "v2", "nobody"))))
			.withMessageContaining("MCP server 'a' depends on 'nobody', which is not a configured server");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.servers.reconcile(List.of(definition("a", "v2", "b"), definition("b", "v2", "a"))))
			.withMessageContaining("through a cycle");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.servers.reconcile(List.of(definition("a", "v2"), definition("a", "v3"))))
			.withMessage("MCP server 'a' is defined twice: give each server a name of its own");
		assertThat(this.servers.names()).containsExactly("a", "b");
		assertThat(pid("a")).isEqualTo(a);
		assertThat(this.servers.server("a").definition()).isEqualTo(definition("a", "v1"));
	}

	@Test
	void reconcileBeforeTheStartStartsNothingAndTheStartTakesTheNewDefinitions() throws Exception {
		this.servers = registry(List.of(definition("a", "v1")));
		ServerChanges changes = this.servers.reconcile(List.of(definition("a", "v2"), definition("b", "v1")))
			.get(30, TimeUnit.SECONDS);
		assertThat(changes.summary()).isEqualTo("added [b], changed [a], 0 unchanged");
		assertThat(this.servers.servers()).allSatisfy((server) -> assertThat(server.pid()).isEmpty());
		this.servers.startAll().join();
		assertThat(this.servers.server("a").definition()).isEqualTo(definition("a", "v2"));
		assertThat(echo("b")).isEqualTo("hello");
	}

	private static McpStdioServers registry(List<ServerDefinition> definitions) {
		return new McpStdioServers(definitions, ProcessLauncher.shared(), McpJsonDefaults.getMapper(),
				Clock.systemUTC());
	}

	static ServerDefinition definition(String name, String version, String... dependsOn) {
		return ServerDefinition.builder(Fixtures.builder(name).env(Map.of("VERSION", version)).build())
			.lifecycle(new ServerLifecycleSettings(true, Duration.ZERO, Startup.EAGER, true, List.of(dependsOn),
					Duration.ofSeconds(30)))
			.build();
	}

	private static List<String> names(List<McpStdioServer> servers) {
		return servers.stream().map(McpStdioServer::name).toList();
	}

	private long pid(String name) {
		McpStdioServer server = this.servers.server(name);
		Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> server.state() == ServerState.RUNNING);
		return server.pid().orElseThrow();
	}

	private Instant started(String name) {
		return ProcessHandle.of(pid(name)).orElseThrow().info().startInstant().orElseThrow();
	}

	private String echo(String name) {
		return ((TextContent) this.servers.client(name)
			.callTool(new CallToolRequest("echo", Map.of("text", "hello")))
			.content()
			.get(0)).text();
	}

}
