package dev.mcpstdio.server;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import dev.mcpstdio.fixture.Fixtures;
import dev.mcpstdio.process.ProcessLauncher;
import dev.mcpstdio.process.platform.ProcessTree;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Servers registered and unregistered in code while the application runs, on real
 * fixtures: started at once, stopped through the ladder and forgotten, and every invalid
 * change refused with nothing changed.
 */
class RegistrationTests {

	private final McpStdioServers servers = new McpStdioServers(
			List.of(McpStdioServersTests.definition("base", Fixtures.spec("base"))), ProcessLauncher.shared(),
			McpJsonDefaults.getMapper(), Clock.systemUTC());

	private final List<String> changes = new CopyOnWriteArrayList<>();

	@AfterEach
	void close() {
		this.servers.close();
	}

	@Test
	void serverRegisteredWhileRunningStartsAtOnceAndIsForgottenWhenUnregistered() throws Exception {
		this.servers.addServersChangedListener(
				(added, removed) -> this.changes.add(added.stream().map(McpStdioServer::name).toList() + " "
						+ removed.stream().map(McpStdioServer::name).toList()));
		this.servers.startAll().join();
		McpStdioServer tenant = this.servers.register(definition("tenant", "base"));
		assertThat(this.servers.names()).containsExactly("base", "tenant");
		await(tenant);
		long pid = tenant.pid().orElseThrow();
		assertThat(echo("tenant")).isEqualTo("registered");
		assertThatIllegalStateException().isThrownBy(() -> this.servers.unregister("base"))
			.withMessage("MCP server 'base' cannot be unregistered: [tenant] depend on it. Unregister them first.");
		this.servers.unregister("tenant").get(30, TimeUnit.SECONDS);
		assertThat(ProcessHandle.of(pid).filter(ProcessTree::isRunning)).isEmpty();
		assertThat(this.servers.names()).containsExactly("base");
		assertThatIllegalArgumentException().isThrownBy(() -> this.servers.client("tenant"))
			.withMessageContaining("No MCP server named 'tenant'");
		assertThat(this.changes).containsExactly("[tenant] []", "[] [tenant]");
		// the name is free again
		await(this.servers.register(definition("tenant")));
		assertThat(echo("tenant")).isEqualTo("registered");
	}

	@Test
	void serverRegisteredBeforeTheStartStartsWithTheOthersAndStopsWithThem() {
		McpStdioServer early = this.servers.register(definition("early"));
		assertThat(early.state()).isEqualTo(ServerState.STOPPED);
		this.servers.startAll().join();
		await(early);
		long pid = early.pid().orElseThrow();
		this.servers.close();
		assertThat(ProcessHandle.of(pid).filter(ProcessTree::isRunning)).isEmpty();
	}

	@Test
	void invalidRegistrationsFailNamingTheServerAndChangeNothing() {
		this.servers.startAll().join();
		assertThatIllegalArgumentException().isThrownBy(() -> this.servers.register(definition("base")))
			.withMessageContaining("MCP server 'base' is already registered");
		assertThatIllegalArgumentException().isThrownBy(() -> this.servers.register(definition("orphan", "nobody")))
			.withMessageContaining("MCP server 'orphan' depends on 'nobody', which is not a configured server");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.servers.register(definition("narcissus", "narcissus")))
			.withMessageContaining("MCP server 'narcissus' depends on itself through a cycle: narcissus -> narcissus");
		assertThatIllegalArgumentException().isThrownBy(() -> this.servers.unregister("nobody"))
			.withMessageContaining("No MCP server named 'nobody'");
		assertThat(this.servers.names()).containsExactly("base");
	}

	private static ServerDefinition definition(String name, String... dependsOn) {
		return ServerDefinition.builder(Fixtures.spec(name))
			.lifecycle(new ServerLifecycleSettings(true, Duration.ZERO, Startup.EAGER, true, List.of(dependsOn),
					Duration.ofSeconds(30)))
			.build();
	}

	private static void await(McpStdioServer server) {
		org.awaitility.Awaitility.await()
			.atMost(Duration.ofSeconds(30))
			.until(() -> server.state() == ServerState.RUNNING);
	}

	private String echo(String name) {
		return ((TextContent) this.servers.client(name)
			.callTool(new CallToolRequest("echo", Map.of("text", "registered")))
			.content()
			.get(0)).text();
	}

}
