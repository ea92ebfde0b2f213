package dev.mcpstdio.server;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import com.sun.net.httpserver.HttpServer;
import dev.mcpstdio.fixture.Probe;
import dev.mcpstdio.fixture.Sandboxes;
import dev.mcpstdio.process.ProcessLauncher;
import dev.mcpstdio.process.ProcessSpec;
import dev.mcpstdio.process.sandbox.Confinement;
import dev.mcpstdio.process.sandbox.SandboxSettings;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.json.McpJsonDefaults;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * More of a hostile server against its sandbox, the attacks {@link SandboxEscapeTests}
 * does not try: the filtering proxy as a lever on the JVM and the forms of a host it
 * judges, races between two sandboxes that share a directory, links the host follows when
 * it removes a sandbox, the resources of the host a server spends, and what of the host a
 * server sees from inside.
 */
@EnabledOnOs(OS.LINUX)
class SandboxEscapeMoreTests {

	private final List<McpStdioServers> registries = new ArrayList<>();

	/** Host files and directories to remove after each test, the deepest last. */
	private final List<Path> cleanup = new ArrayList<>();

	private final String unique = "mcp-stdio-escape-more-" + ProcessHandle.current().pid() + "-" + System.nanoTime();

	private HttpServer http;

	@BeforeEach
	void hostHttpServer() throws IOException {
		// on every address of the host, as a service of the host may listen
		this.http = HttpServer.create(new InetSocketAddress(0), 0);
		this.http.createContext("/", (exchange) -> {
			byte[] body = "hello from the host".getBytes(StandardCharsets.UTF_8);
			exchange.sendResponseHeaders(200, body.length);
			exchange.getResponseBody().write(body);
			exchange.close();
		});
		this.http.start();
	}

	@AfterEach
	void close() throws IOException {
		this.registries.forEach(McpStdioServers::close);
		this.http.stop(0);
		for (int i = this.cleanup.size() - 1; i >= 0; i--) {
			deleteTree(this.cleanup.get(i));
		}
	}

	@Test
	@Disabled("HOLE: under allowed-domains [\"*\"] the proxy connects a server to an address of the host's own"
			+ " interfaces that AddressClass counts public (here eth0's 192.0.2.2): a GET of http://192.0.2.2:<port>/"
			+ " through the proxy reaches a service of the host listening on every address and answers 200")
	void anyDomainDoesNotReachTheHostThroughAnAddressOfItsOwnInterfaces() throws SocketException {
		Sandboxes.assumeAvailable();
		List<InetAddress> own = NetworkInterface.networkInterfaces()
			.flatMap(NetworkInterface::inetAddresses)
			.filter((address) -> !address.isLoopbackAddress())
			.filter((address) -> !(address instanceof Inet6Address) || !address.isLinkLocalAddress())
			.toList();
		McpSyncClient probe = start(Probe.python("any-domain-own-address")
			.confinement(confined(new Settings().allowedDomains("*").build()))
			.build());
		int port = this.http.getAddress().getPort();
		for (InetAddress address : own) {
			String host = (address instanceof Inet6Address) ? "[" + address.getHostAddress() + "]"
					: address.getHostAddress();
			assertThat(Probe.call(probe, "get", Map.of("url", "http://" + host + ":" + port + "/"))).as(host)
				.startsWith("ok status 403 ")
				.doesNotContain("hello from the host");
		}
	}

	@Test
	@Disabled("HOLE: BindSources checks a bind source in the JVM and bubblewrap binds it later by name: a session"
			+ " of a per-session server that swaps its relative allow-write path wd/cache between a directory and"
			+ " a link to ../elsewhere (renameat2 RENAME_EXCHANGE in a loop) makes a later session's bubblewrap"
			+ " bind ../elsewhere read-write, and that session writes a host directory outside its allow-write"
			+ " (won within 14 sessions)")
	void sessionThatFlipsAllowWritePathBetweenDirectoryAndLinkNeverGetsAnotherSessionTheLinksTarget() throws Exception {
		Sandboxes.assumeAvailable();
		Path base = hostDirectory(this.unique);
		Path wd = Sandboxes.writableBySandbox(List.of(), Files.createDirectories(base.resolve("wd")));
		// writable by the server's user on the host, read-only in its sandbox
		Path elsewhere = Sandboxes.writableBySandbox(List.of(), Files.createDirectories(base.resolve("elsewhere")));
		// swaps wd/cache (a directory, then a link to ../elsewhere) with wd/cache.x as
		// fast as it can, atomically: each session that launches meanwhile checks one and
		// binds what is there a little later
		Path flipper = Files.writeString(base.resolve("flip.py"), """
				import ctypes, os, time
				libc = ctypes.CDLL(None, use_errno=True)
				os.mkdir("cache.x")
				os.symlink("../elsewhere", "cache")
				if libc.renameat2(-100, b"cache", -100, b"cache.x", 2) != 0:
				    print("renameat2 failed", ctypes.get_errno(), flush=True)
				    raise SystemExit(1)
				print("flipping", flush=True)
				end = time.monotonic() + 120
				while time.monotonic() < end:
				    libc.renameat2(-100, b"cache", -100, b"cache.x", 2)
				""");
		ProcessSpec spec = Probe.python("flipper")
			.workingDirectory(wd)
			.confinement(confined(new Settings().allowWrite("cache").build()))
			.build();
		McpStdioServers servers = registry(McpStdioServersTests.definition(spec.name(), spec)
			.toBuilder()
			.lifecycle(new ServerLifecycleSettings(false, Duration.ZERO, Startup.EAGER, true, List.of(),
					Duration.ofSeconds(30)))
			.build());
		servers.startAll().join();
		// the first session launches while wd/cache is missing: nothing is bound there
		McpStdioSession planter = servers.openSession("flipper");
		assertThat(shell(planter.client(), "python3 " + flipper + " > flip.log 2>&1 &")).isEqualTo("ok exit 0 ");
		await().atMost(Duration.ofSeconds(10))
			.until(() -> Files.exists(wd.resolve("flip.log")) && !Files.readString(wd.resolve("flip.log")).isEmpty());
		assertThat(wd.resolve("flip.log")).hasContent("flipping");
		Path written = elsewhere.resolve("f");
		List<String> attempts = new ArrayList<>();
		for (int i = 0; i < 40 && !Files.exists(written); i++) {
			try (McpStdioSession session = servers.openSession("flipper")) {
				attempts.add(write(session.client(), written.toString()));
			}
			catch (RuntimeException ex) {
				attempts.add("launch failed: " + ex);
			}
		}
		assertThat(written).as(String.join("\n", attempts)).doesNotExist();
		planter.close();
	}

	/**
	 * A directory of the host outside /tmp (which the sandbox replaces), removed after.
	 */
	private Path hostDirectory(String relative) throws IOException {
		Path top = Path.of("/var/tmp", relative.split("/")[0]);
		if (!this.cleanup.contains(top)) {
			this.cleanup.add(top);
		}
		return Files.createDirectories(Path.of("/var/tmp", relative));
	}

	private static void deleteTree(Path root) throws IOException {
		if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
			return;
		}
		try (var paths = Files.walk(root)) {
			for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
				Files.deleteIfExists(path);
			}
		}
	}

	private McpSyncClient start(ProcessSpec spec) {
		McpStdioServers servers = registry(McpStdioServersTests.definition(spec.name(), spec));
		servers.startAll().join();
		return servers.client(spec.name());
	}

	private McpStdioServers registry(ServerDefinition definition) {
		McpStdioServers servers = new McpStdioServers(List.of(definition), ProcessLauncher.shared(),
				McpJsonDefaults.getMapper(), Clock.systemUTC());
		this.registries.add(servers);
		return servers;
	}

	private static Confinement confined(SandboxSettings sandbox) {
		return Sandboxes.confined(sandbox);
	}

	private static String shell(McpSyncClient probe, String command) {
		return Probe.call(probe, "shell", Map.of("command", command));
	}

	private static String write(McpSyncClient probe, String path) {
		return Probe.call(probe, "write", Map.of("path", path));
	}

	/** The settings of a sandbox that fails where it cannot run, built up. */
	private static final class Settings {

		private final List<String> allowWrite = new ArrayList<>();

		private final List<String> denyWrite = new ArrayList<>();

		private final List<String> allowedDomains = new ArrayList<>();

		private final List<String> deniedDomains = new ArrayList<>();

		private int maxProxyConnections = SandboxSettings.DEFAULT_MAX_PROXY_CONNECTIONS;

		Settings allowWrite(String... paths) {
			this.allowWrite.addAll(List.of(paths));
			return this;
		}

		Settings denyWrite(String... paths) {
			this.denyWrite.addAll(List.of(paths));
			return this;
		}

		Settings allowedDomains(String... domains) {
			this.allowedDomains.addAll(List.of(domains));
			return this;
		}

		Settings deniedDomains(String... domains) {
			this.deniedDomains.addAll(List.of(domains));
			return this;
		}

		Settings maxProxyConnections(int connections) {
			this.maxProxyConnections = connections;
			return this;
		}

		SandboxSettings build() {
			return new SandboxSettings(true, SandboxSettings.OnUnavailable.FAIL, this.allowWrite, List.of(), List.of(),
					this.denyWrite, this.allowedDomains, this.deniedDomains, List.of(), false, this.maxProxyConnections,
					List.of());
		}

	}

}
