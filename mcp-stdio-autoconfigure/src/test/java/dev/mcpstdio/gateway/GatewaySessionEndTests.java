package dev.mcpstdio.gateway;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.mcpstdio.autoconfigure.McpStdioConfigurationException;
import dev.mcpstdio.gateway.McpHttpClient.Response;
import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.awaitility.Awaitility.await;

/**
 * How gateway sessions end and what bounds them, each with a context of its own: the idle
 * timeout, max-sessions, the application's shutdown, and the refusal to serve without
 * authentication where Spring Security is missing.
 */
class GatewaySessionEndTests {

	@Test
	void aSessionIdleForTheTimeoutEndsAndItsProcessStops() throws Exception {
		List<String> properties = new ArrayList<>(GatewayTestApplication.fixture("own", "keep-alive=false"));
		properties.add("mcp.stdio.gateway.session-idle-timeout=1s");
		try (ConfigurableApplicationContext context = GatewayTestApplication.start(properties)) {
			McpHttpClient client = new McpHttpClient(GatewayTestApplication.port(context), "own");
			String session = client.open();
			long pid = Long.parseLong(client.callText(session, 1, "pid", Map.of()));
			// an open GET stream that carries nothing is no activity
			McpHttpClient.EventStream silent = client.get(session, null);
			await().atMost(Duration.ofSeconds(20)).until(() -> ProcessHandle.of(pid).isEmpty());
			silent.ended().get();
			assertThat(client.post(session, McpHttpClient.call(2, "pid", Map.of())).status()).isEqualTo(404);
		}
	}

	@Test
	void pastMaxSessionsANewSessionGets503WithRetryAfterAndNoProcess() throws Exception {
		List<String> properties = new ArrayList<>(GatewayTestApplication.fixture("own", "keep-alive=false"));
		properties.add("mcp.stdio.gateway.max-sessions=2");
		try (ConfigurableApplicationContext context = GatewayTestApplication.start(properties)) {
			McpHttpClient client = new McpHttpClient(GatewayTestApplication.port(context), "own");
			String first = client.open();
			client.open();
			long before = fixtures();
			assertThat(before).as("the two sessions' own processes are seen").isGreaterThanOrEqualTo(2);
			Response refused = client.post(null, McpHttpClient.initialize(Map.of()));
			assertThat(refused.status()).isEqualTo(503);
			assertThat(refused.header("Retry-After")).isEqualTo("1");
			assertThat(refused.body()).contains("max-sessions 2");
			assertThat(fixtures()).as("no process was started for it").isEqualTo(before);
			client.delete(first);
			await().atMost(Duration.ofSeconds(20))
				.until(() -> client.post(null, McpHttpClient.initialize(Map.of())).status() == 200);
		}
	}

	@Test
	void shutdownEndsTheSessionsAndStopsTheirProcesses() throws Exception {
		List<String> properties = new ArrayList<>(GatewayTestApplication.fixture("own", "keep-alive=false"));
		List<Long> pids = new ArrayList<>();
		ConfigurableApplicationContext context = GatewayTestApplication.start(properties);
		try {
			McpHttpClient client = new McpHttpClient(GatewayTestApplication.port(context), "own");
			for (int i = 0; i < 3; i++) {
				String session = client.open();
				pids.add(Long.parseLong(client.callText(session, 1, "pid", Map.of())));
				client.get(session, null); // a GET stream left open
			}
		}
		finally {
			context.close();
		}
		assertThat(pids).allSatisfy((pid) -> assertThat(ProcessHandle.of(pid)).isEmpty());
	}

	@Test
	void shutdownDrainsRequestsInFlightFinishOpenSessionsAreServedNewOnesRefusedThenSessionsEnd() throws Exception {
		List<String> properties = new ArrayList<>(GatewayTestApplication.fixture("own", "keep-alive=false"));
		properties.addAll(List.of("mcp.stdio.gateway.drain-timeout=60s",
				"management.endpoints.web.exposure.include=health", "management.endpoint.health.probes.enabled=true"));
		ConfigurableApplicationContext context = GatewayTestApplication.start(properties);
		try {
			McpStdioGateway gateway = context.getBean(McpStdioGateway.class);
			McpHttpClient client = new McpHttpClient(GatewayTestApplication.port(context), "own");
			String session = client.open();
			long pid = Long.parseLong(client.callText(session, 1, "pid", Map.of()));
			CompletableFuture<Response> slow = inFlight(client, session, 3000);
			CompletableFuture<Void> closed = CompletableFuture.runAsync(context::close);
			await().atMost(Duration.ofSeconds(10)).until(gateway::isDraining);
			assertThat(client.getStatus("/actuator/health/readiness")).as("readiness is out of service first")
				.isEqualTo(503);
			Response refused = client.post(null, McpHttpClient.initialize(Map.of()));
			assertThat(refused.status()).isEqualTo(503);
			assertThat(refused.body()).contains("shutting down");
			assertThat(client.callText(session, 3, "echo", Map.of("text", "still served")))
				.as("an open session is served while it drains")
				.isEqualTo("still served");
			assertThat(slow.get(30, TimeUnit.SECONDS).body()).as("the call in flight finished").contains("slept 3000");
			closed.get(60, TimeUnit.SECONDS);
			assertThat(ProcessHandle.of(pid)).isEmpty();
		}
		finally {
			context.close();
		}
	}

	@Test
	void aCallStillInFlightAtTheDrainTimeoutEndsUnansweredAndItsProcessStops() throws Exception {
		List<String> properties = new ArrayList<>(GatewayTestApplication.fixture("own", "keep-alive=false"));
		properties.add("mcp.stdio.gateway.drain-timeout=1s");
		ConfigurableApplicationContext context = GatewayTestApplication.start(properties);
		try {
			McpHttpClient client = new McpHttpClient(GatewayTestApplication.port(context), "own");
			String session = client.open();
			long pid = Long.parseLong(client.callText(session, 1, "pid", Map.of()));
			CompletableFuture<Response> slow = inFlight(client, session, 600_000);
			context.close();
			assertThat(slow.get(30, TimeUnit.SECONDS).body()).doesNotContain("slept");
			assertThat(ProcessHandle.of(pid)).isEmpty();
		}
		finally {
			context.close();
		}
	}

	@Test
	void aNegativeDrainTimeoutIsRefusedNamingTheProperty() {
		List<String> properties = new ArrayList<>(GatewayTestApplication.fixture("own", "keep-alive=false"));
		properties.add("mcp.stdio.gateway.drain-timeout=-1s");
		assertThatException().isThrownBy(() -> GatewayTestApplication.start(properties).close())
			.havingRootCause()
			.isInstanceOfSatisfying(McpStdioConfigurationException.class, (refused) -> {
				assertThat(refused).hasMessageContaining("mcp.stdio.gateway.drain-timeout is negative");
				assertThat(refused.getAction()).contains("0s");
			});
	}

	/**
	 * A slow call of the session's, once its process runs it (the fixture's peak says
	 * so).
	 */
	private static CompletableFuture<Response> inFlight(McpHttpClient client, String session, int millis)
			throws Exception {
		CompletableFuture<Response> call = CompletableFuture.supplyAsync(() -> {
			try {
				return client.post(session, McpHttpClient.call(2, "slow", Map.of("millis", millis)));
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
		});
		await().atMost(Duration.ofSeconds(10))
			.until(() -> client.callText(session, "peak", "peak", Map.of()).equals("1"));
		return call;
	}

	@Test
	void withoutSpringSecurityTheGatewayAuthenticatesNobodyAndRefusesToStartNamingTheDependency() {
		List<String> properties = new ArrayList<>(GatewayTestApplication.fixture("own", "keep-alive=false"));
		properties.add("mcp.stdio.gateway.allow-unauthenticated=false");
		long before = fixtures();
		assertThatException().isThrownBy(() -> GatewayTestApplication.start(properties).close())
			.havingRootCause()
			.isInstanceOfSatisfying(McpStdioConfigurationException.class, (refused) -> {
				assertThat(refused)
					.hasMessageContaining("Spring Security's resource server, which is not on the class");
				assertThat(refused.getAction()).contains("spring-boot-starter-security-oauth2-resource-server",
						"mcp.stdio.gateway.allow-unauthenticated: true");
			});
		assertThat(fixtures()).as("no process started for a gateway that did not start").isEqualTo(before);
	}

	/**
	 * The fixture servers alive on the machine, found by their full command lines in
	 * /proc: the JDK's {@code ProcessHandle.Info} stops at 4096 characters, before a main
	 * class that follows a long class path.
	 */
	private static long fixtures() {
		return ProcessHandle.allProcesses().filter((process) -> {
			try {
				return new String(Files.readAllBytes(Path.of("/proc", Long.toString(process.pid()), "cmdline")),
						StandardCharsets.UTF_8)
					.contains("dev.mcpstdio.fixture.FixtureServer");
			}
			catch (IOException ex) {
				return false; // gone, or not readable
			}
		}).count();
	}

}
