package dev.mcpstdio.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.sun.net.httpserver.HttpServer;
import dev.mcpstdio.fixture.Fixtures;
import dev.mcpstdio.fixture.Probe;
import dev.mcpstdio.fixture.Sandboxes;
import dev.mcpstdio.process.JavaCommand;
import dev.mcpstdio.process.ProcessLauncher;
import dev.mcpstdio.process.ProcessSpec;
import dev.mcpstdio.process.sandbox.Confinement;
import dev.mcpstdio.process.sandbox.ResourceLimits;
import dev.mcpstdio.process.sandbox.SandboxSettings;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.json.McpJsonDefaults;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Confined servers, as a user meets them: a probe server tries to write, read, connect,
 * fetch, allocate and fork under each setting; what is denied fails inside the server,
 * which keeps answering; a limit that ends a server is reported as that limit.
 */
@EnabledOnOs(OS.LINUX)
class SandboxServerTests {

	private final List<McpStdioServers> registries = new ArrayList<>();

	private HttpServer http;

	private final List<Path> cleanup = new ArrayList<>();

	@TempDir
	Path work;

	@BeforeEach
	void localHttpServer() throws IOException {
		this.http = Sandboxes.helloServer();
	}

	@AfterEach
	void close() throws IOException {
		this.registries.forEach(McpStdioServers::close);
		this.http.stop(0);
		for (int i = this.cleanup.size() - 1; i >= 0; i--) {
			Files.deleteIfExists(this.cleanup.get(i).resolve("f"));
			Files.deleteIfExists(this.cleanup.get(i));
		}
	}

	@Test
	void sandboxedServerWritesOnlyWhereAllowedAndKeepsAnswering() throws IOException {
		Sandboxes.assumeAvailable();
		Path allowed = Sandboxes.writableBySandbox(List.of(this.work),
				Files.createDirectories(this.work.resolve("allowed")));
		Path readOnly = Sandboxes.writableBySandbox(List.of(), Files.createDirectories(allowed.resolve("read-only")));
		// a directory of the host outside /tmp (which the sandbox replaces), the
		// working directory and allow-write
		Path elsewhere = Files
			.createDirectories(Path.of("/var/tmp", "mcp-stdio-elsewhere-" + ProcessHandle.current().pid()));
		this.cleanup.add(elsewhere);
		Path wd = Sandboxes.writableBySandbox(List.of(), Files.createDirectories(this.work.resolve("wd")));
		McpSyncClient probe = start(Probe.python("writer")
			.workingDirectory(wd)
			.confinement(Sandboxes.confined(
					Sandboxes.sandbox(List.of(allowed.toString()), List.of(), List.of(readOnly.toString()), List.of())))
			.build());
		assertThat(write(probe, "/etc/mcp-stdio-probe")).startsWith("error OSError: [Errno 30] Read-only file system");
		assertThat(write(probe, elsewhere.resolve("f").toString())).contains("Read-only file system");
		assertThat(write(probe, readOnly.resolve("f").toString())).contains("Read-only file system");
		assertThat(write(probe, allowed.resolve("f").toString())).startsWith("ok wrote");
		assertThat(write(probe, wd.resolve("f").toString())).startsWith("ok wrote");
		// allow-write under /tmp works although /tmp is private
		assertThat(this.work.toString()).startsWith("/tmp");
		assertThat(allowed.resolve("f")).hasContent("probe");
		assertThat(wd.resolve("f")).hasContent("probe");
		// the private /tmp: written inside, not on the host
		assertThat(write(probe, "/tmp/mcp-stdio-private-" + ProcessHandle.current().pid())).startsWith("ok wrote");
		assertThat(Path.of("/tmp/mcp-stdio-private-" + ProcessHandle.current().pid())).doesNotExist();
		assertThat(Probe.call(probe, "pid", Map.of())).startsWith("ok ");
	}

	@Test
	void deniedReadIsHiddenFromTheSandboxedServer() throws IOException {
		Sandboxes.assumeAvailable();
		// outside /tmp (which the sandbox replaces), readable by anyone
		Path place = Files
			.createDirectories(Path.of("/var/tmp", "mcp-stdio-deny-read-" + ProcessHandle.current().pid()));
		this.cleanup.add(place);
		Path secrets = Files.createDirectories(place.resolve("secrets"));
		this.cleanup.add(secrets);
		Files.writeString(secrets.resolve("f"), "the key");
		Path token = Files.writeString(place.resolve("f"), "the token");
		McpSyncClient open = start(Probe.python("open").build());
		McpSyncClient hiding = start(Probe.python("hiding")
			.confinement(Sandboxes.confined(
					Sandboxes.sandbox(List.of(), List.of(secrets.toString(), token.toString()), List.of(), List.of())))
			.build());
		assertThat(read(open, secrets.resolve("f"))).isEqualTo("ok read the key");
		assertThat(read(hiding, secrets.resolve("f"))).startsWith("error PermissionError");
		assertThat(read(hiding, token)).startsWith("error PermissionError");
		assertThat(read(hiding, Path.of("/etc/hostname"))).startsWith("ok read");
	}

	@Test
	void sandboxWithoutAllowedDomainsHasNoNetwork() {
		Sandboxes.assumeAvailable();
		McpSyncClient open = start(Probe.python("online").build());
		McpSyncClient offline = start(Probe.python("offline")
			.confinement(Sandboxes.confined(Sandboxes.sandbox(List.of(), List.of(), List.of(), List.of())))
			.build());
		Map<String, Object> local = Map.of("host", "127.0.0.1", "port", this.http.getAddress().getPort());
		assertThat(Probe.call(open, "connect", local)).isEqualTo("ok connected");
		assertThat(Probe.call(offline, "connect", local)).startsWith("error ConnectionRefusedError");
		assertThat(Probe.call(offline, "connect", Map.of("host", "192.0.2.1", "port", 80)))
			.contains("Network is unreachable");
		assertThat(Probe.call(offline, "pid", Map.of())).startsWith("ok ");
	}

	@Test
	void allowedDomainIsReachedThroughTheFilteringProxyAndOthersAreRefused() {
		Sandboxes.assumeAvailable();
		McpSyncClient probe = start(Probe.python("filtered")
			.env(Map.of("NO_PROXY", "localhost", "no_proxy", "localhost"))
			.confinement(Sandboxes.confined(Sandboxes.sandbox(List.of(), List.of(), List.of(), List.of("localhost"))))
			.build());
		int port = this.http.getAddress().getPort();
		assertThat(Probe.call(probe, "fetch", Map.of("url", "http://localhost:" + port + "/")))
			.isEqualTo("ok fetched hello from the host");
		assertThat(Probe.call(probe, "tunnel", Map.of("host", "localhost", "port", port)))
			.isEqualTo("ok tunnelled hello from the host");
		assertThat(Probe.call(probe, "fetch", Map.of("url", "http://127.0.0.1:" + port + "/")))
			.startsWith("error HTTPError: HTTP Error 403");
		assertThat(Probe.call(probe, "tunnel", Map.of("host", "127.0.0.1", "port", port))).contains("403");
		assertThat(Probe.call(probe, "connect", Map.of("host", "127.0.0.1", "port", port)))
			.startsWith("error ConnectionRefusedError");
		assertThat(Probe.call(probe, "env", Map.of())).contains("HTTPS_PROXY", "HTTP_PROXY", "ALL_PROXY")
			.doesNotContain("NO_PROXY", "no_proxy");
	}

	@Test
	@ExtendWith(OutputCaptureExtension.class)
	void stubbornSandboxedServerWithAGrandchildIsStoppedByTheLadderAndLeavesNothing(CapturedOutput output) {
		Sandboxes.assumeAvailable();
		String mark = "sandbox-stubborn-" + ProcessHandle.current().pid();
		McpStdioServers servers = registry(Probe.python("stubborn", "--stubborn", mark)
			.confinement(Sandboxes.confined(Sandboxes.sandbox(List.of(), List.of(), List.of(), List.of())))
			.build());
		servers.startAll().join();
		// bubblewrap's two processes carry the command line too
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(Fixtures.runningWith(mark)).hasSize(4));
		assertThat(servers.server("stubborn").status().sandbox()).isEqualTo("bubblewrap");
		// every wait of the ladder has its deadline: a stop that does not return long
		// after them hangs
		assertTimeoutPreemptively(Duration.ofSeconds(30), () -> servers.server("stubborn").stop());
		assertThat(Fixtures.runningWith(mark)).isEmpty();
		// EOF ignored: SIGTERM came once the EOF timeout had passed, and the stop ended
		// after it (at SIGTERM where the sandbox's end takes its processes with it in
		// time, else at SIGKILL)
		assertThat(output.getOut()).containsPattern("(?s)MCP server 'stubborn' \\(pid \\d+\\) still running \\S+ after"
				+ " stdin EOF: sending SIGTERM.*MCP server 'stubborn' stopped: pid \\d+, SIG(TERM|KILL) after");
	}

	@Test
	void sessionOfAPerSessionServerRunsInASandboxOfItsOwnThatGoesWithIt() throws Exception {
		Sandboxes.assumeAvailable();
		String mark = "sandbox-session-" + ProcessHandle.current().pid();
		ProcessSpec spec = Probe.python("per-session", mark)
			.confinement(Sandboxes.confined(Sandboxes.sandbox(List.of(), List.of(), List.of(), List.of())))
			.build();
		McpStdioServers servers = registry(ServerDefinition.builder(spec)
			.lifecycle(new ServerLifecycleSettings(false, Duration.ZERO, Startup.EAGER, true, List.of(),
					Duration.ofSeconds(30)))
			.build());
		servers.startAll().join();
		McpStdioSession session = servers.openSession("per-session");
		assertThat(Probe.call(session.client(), "write", Map.of("path", "/etc/mcp-stdio-probe")))
			.contains("Read-only file system");
		assertThat(Fixtures.runningWith(mark)).isNotEmpty();
		session.close();
		session.whenStopped().get(10, java.util.concurrent.TimeUnit.SECONDS);
		assertThat(Fixtures.runningWith(mark)).isEmpty();
	}

	@Test
	void everyServerRunsWithNoNewPrivilegesUnlessTurnedOff() {
		McpSyncClient confined = start(Probe.python("nnp").build());
		McpSyncClient free = start(Probe.python("privileged")
			.confinement(new Confinement(SandboxSettings.DISABLED, ResourceLimits.NONE, false))
			.build());
		assertThat(Probe.call(confined, "read", Map.of("path", "/proc/self/status"))).contains("NoNewPrivs:\t1");
		assertThat(Probe.call(free, "read", Map.of("path", "/proc/self/status"))).contains("NoNewPrivs:\t0");
	}

	@Test
	void pythonServerPastItsMemoryLimitIsReportedAsTheLimit() {
		ProcessSpec spec = Probe.python("hog")
			.confinement(Sandboxes.limited(new ResourceLimits(64L << 20, Duration.ZERO, 0, 0, 0)))
			.build();
		McpStdioServers servers = registry(ServerDefinition.builder(spec)
			.lifecycle(new ServerLifecycleSettings(true, Duration.ZERO, Startup.EAGER, true, List.of(),
					Duration.ofSeconds(30)))
			.restart(new RestartSettings(RestartPolicy.NEVER, 0, Duration.ofMinutes(1), Duration.ofMillis(500),
					Duration.ofSeconds(1)))
			.build());
		servers.startAll().join();
		assertThatException().isThrownBy(() -> Probe.call(servers.client("hog"), "allocate", Map.of("megabytes", 200)))
			.withMessageContaining("MCP server 'hog' exceeded limits.memory (64MB) and exited with code 1");
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(servers.server("hog").status().lastError())
				.contains("MCP server 'hog' exceeded limits.memory (64MB)"));
	}

	@Test
	void nodeServerPastItsMemoryLimitIsReportedAsTheLimit() {
		McpStdioServers servers = registry(Probe.node("node-hog")
			.confinement(Sandboxes.limited(new ResourceLimits(128L << 20, Duration.ZERO, 0, 0, 0)))
			.build());
		servers.startAll().join();
		assertThatException()
			.isThrownBy(() -> Probe.call(servers.client("node-hog"), "allocate", Map.of("megabytes", 400)))
			.withMessageContaining("MCP server 'node-hog' exceeded limits.memory (128MB)");
	}

	@Test
	void javaServerPastItsMemoryLimitIsReportedAsTheLimit() {
		ProcessSpec spec = ProcessSpec
			.java("java-hog",
					JavaCommand.mainClass(dev.mcpstdio.fixture.FixtureServer.class.getName(),
							List.of("-Xmx2g", "-XX:+UseSerialGC", "-XX:ErrorFile=/dev/null")),
					List.of())
			.confinement(Sandboxes.limited(new ResourceLimits(512L << 20, Duration.ZERO, 0, 0, 0)))
			.build();
		McpStdioServers servers = registry(spec);
		servers.startAll().join();
		assertThatException()
			.isThrownBy(() -> Probe.call(servers.client("java-hog"), "allocate", Map.of("megabytes", 1000)))
			.withMessageContaining("MCP server 'java-hog' exceeded limits.memory (512MB)");
	}

	@Test
	void openFilesPastTheLimitFailInsideTheServer() {
		McpSyncClient probe = start(Probe.python("files")
			.confinement(Sandboxes.limited(new ResourceLimits(0, Duration.ZERO, 0, 32, 0)))
			.build());
		assertThat(Probe.call(probe, "files", Map.of("count", 10))).isEqualTo("ok opened 10");
		assertThat(Probe.call(probe, "files", Map.of("count", 64))).contains("Too many open files");
	}

	@Test
	void serverPastItsCpuTimeIsReportedAsTheLimit() {
		McpStdioServers servers = registry(Probe.python("spinner")
			.confinement(Sandboxes.limited(new ResourceLimits(0, Duration.ofSeconds(1), 0, 0, 0)))
			.build());
		servers.startAll().join();
		assertThatException().isThrownBy(() -> Probe.call(servers.client("spinner"), "spin", Map.of("seconds", 30)))
			.withMessageContaining("MCP server 'spinner' exceeded limits.cpu-time (1s) and exited with code 152");
	}

	@Test
	void fileLargerThanTheLimitFailsInsideTheServer() {
		McpSyncClient probe = start(Probe.python("writer")
			.confinement(Sandboxes.limited(new ResourceLimits(0, Duration.ZERO, 0, 0, 1L << 20)))
			.build());
		String file = this.work.resolve("big").toString();
		assertThat(Probe.call(probe, "bigfile", Map.of("path", file, "megabytes", 1))).isEqualTo("ok wrote 1 MB");
		assertThat(Probe.call(probe, "bigfile", Map.of("path", file, "megabytes", 3))).contains("File too large");
		assertThat(Probe.call(probe, "pid", Map.of())).startsWith("ok ");
	}

	@Test
	void sandboxWithoutBubblewrapFailsNamingTheFixOrRunsUnconfinedWhenToldToWarn() {
		Map<String, String> noBwrap = Map.of("PATH", this.work.toString());
		McpStdioServers failing = registry(Probe.python("strict")
			.env(noBwrap)
			.confinement(Sandboxes.confined(Sandboxes.sandbox(List.of(), List.of(), List.of(), List.of())))
			.build());
		assertThatException().isThrownBy(() -> failing.startAll().join())
			.withMessageContaining("MCP server 'strict' asked for a sandbox, which cannot run")
			.withMessageContaining("bubblewrap (bwrap) was not found on the server's PATH")
			.withMessageContaining("apt-get install bubblewrap")
			.withMessageContaining("sandbox.on-unavailable: warn");
		McpStdioServers warning = registry(Probe.python("lenient")
			.env(noBwrap)
			.confinement(Sandboxes.confined(new SandboxSettings(true, SandboxSettings.OnUnavailable.WARN, List.of(),
					List.of(), List.of(), List.of(), List.of())))
			.build());
		warning.startAll().join();
		assertThat(warning.server("lenient").status().sandbox()).isEqualTo("unavailable");
		assertThat(Probe.call(warning.client("lenient"), "pid", Map.of())).startsWith("ok ");
	}

	private McpSyncClient start(ProcessSpec spec) {
		McpStdioServers servers = registry(spec);
		servers.startAll().join();
		return servers.client(spec.name());
	}

	private McpStdioServers registry(ProcessSpec spec) {
		return registry(McpStdioServersTests.definition(spec.name(), spec));
	}

	private McpStdioServers registry(ServerDefinition definition) {
		McpStdioServers servers = new McpStdioServers(List.of(definition), ProcessLauncher.shared(),
				McpJsonDefaults.getMapper(), Clock.systemUTC());
		this.registries.add(servers);
		return servers;
	}

	private static String write(McpSyncClient probe, String path) {
		return Probe.call(probe, "write", Map.of("path", path));
	}

	private static String read(McpSyncClient probe, Path path) {
		return Probe.call(probe, "read", Map.of("path", path.toString()));
	}

}
