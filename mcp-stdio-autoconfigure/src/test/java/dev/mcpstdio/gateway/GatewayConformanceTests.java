package dev.mcpstdio.gateway;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.mcpstdio.gateway.ConformanceSetup.Run;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import org.springframework.util.FileSystemUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The official MCP conformance suite (@modelcontextprotocol/conformance 0.1.16, server
 * mode, through {@code gateway-conformance/run-suite}) against the gateway of a real web
 * application, for a server with a process per session and for a shared one, both running
 * {@code everything-server.mjs}: the active suite scores 40 passed, all of it 46 (the
 * server by itself 44 and 2 warnings: the gateway primes the streams that
 * server-sse-polling checks), nothing failed. The suite never ends its sessions (one per
 * scenario, 124 in all), so they are open when the application stops: its shutdown must
 * end them and stop every process.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GatewayConformanceTests {

	private static final Duration SUITE_TIMEOUT = Duration.ofMinutes(2);

	private static ConformanceSetup setup;

	private static GatewayContext gateway;

	@BeforeAll
	static void startGateway() throws Exception {
		setup = ConformanceSetup.install(false);
		if (!setup.installed()) {
			return;
		}
		// 30 sessions for an active run and 32 for all of it, on each server, none
		// ended by the suite: room for the four runs
		gateway = GatewayContext.start(setup, Map.of("mcp.stdio.gateway.max-sessions", "200",
				"mcp.stdio.servers." + GatewayContext.OWN + ".max-sessions", "70"));
	}

	@BeforeEach
	void assumeInstalled() {
		setup.assumeInstalled();
	}

	@AfterAll
	static void stopGateway() {
		if (gateway != null && gateway.isOpen()) {
			gateway.close();
		}
	}

	@Test
	@Order(1)
	void activeSuitePassesOnAServerWithAProcessPerSession() throws Exception {
		assertTotal(GatewayContext.OWN, "active", "Total: 40 passed, 0 failed");
	}

	@Test
	@Order(2)
	void activeSuitePassesOnASharedServer() throws Exception {
		assertTotal(GatewayContext.SHARED, "active", "Total: 40 passed, 0 failed");
	}

	@Test
	@Order(3)
	void wholeSuitePassesOnAServerWithAProcessPerSession() throws Exception {
		assertTotal(GatewayContext.OWN, "all", "Total: 46 passed, 0 failed");
	}

	@Test
	@Order(4)
	void wholeSuitePassesOnASharedServer() throws Exception {
		assertTotal(GatewayContext.SHARED, "all", "Total: 46 passed, 0 failed");
	}

	@Test
	@Order(5)
	void shutdownEndsTheSessionsTheSuiteLeftOpenAndStopsEveryProcess() throws Exception {
		int own = gateway.sessions(GatewayContext.OWN);
		int shared = gateway.sessions(GatewayContext.SHARED);
		List<String> running = gateway.serverProcesses();
		assertThat(own).as("sessions the suite left open on %s", GatewayContext.OWN).isPositive();
		assertThat(shared).as("sessions the suite left open on %s", GatewayContext.SHARED).isPositive();
		// each open session's own process, the idle ones, the shared one
		assertThat(running).as("processes before shutdown").hasSizeGreaterThan(own);
		gateway.close();
		assertThat(gateway.serverProcesses())
			.as("processes of everything-server.mjs left after shutdown (of %d running with %d + %d sessions open)",
					running.size(), own, shared)
			.isEmpty();
	}

	/**
	 * Runs the suite against a server's endpoint and asserts its closing line.
	 * @param server the server
	 * @param suite {@code active} (the suite's default) or {@code all}
	 * @param total the closing line expected
	 */
	private static void assertTotal(String server, String suite, String total) throws Exception {
		Run run = runSuite(server, suite, suite + "-" + server);
		assertThat(run.linesStartingWith("Total:")).as("the suite's closing line; run-suite %s", run.describe())
			.containsExactly(total);
		assertThat(run.exit()).as("run-suite's exit code; %s", run.describe()).isZero();
	}

	private static Run runSuite(String server, String suite, String name) throws Exception {
		List<String> command = new ArrayList<>(
				List.of(setup.script("run-suite").toString(), "--dir", setup.dir().toString(), gateway.url(server)));
		if (!suite.equals("active")) {
			command.addAll(List.of("--suite", suite));
		}
		Path results = ConformanceSetup.OUTPUT.resolve(name + "-results");
		FileSystemUtils.deleteRecursively(results);
		return ConformanceSetup.run(SUITE_TIMEOUT, Map.of("CONFORMANCE_RESULTS", results.toString()),
				ConformanceSetup.OUTPUT.resolve(name), command);
	}

}
