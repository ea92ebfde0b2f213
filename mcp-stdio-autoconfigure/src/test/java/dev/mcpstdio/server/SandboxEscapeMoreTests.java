package dev.mcpstdio.server;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import com.sun.net.httpserver.HttpServer;
import dev.mcpstdio.fixture.Probe;
import dev.mcpstdio.fixture.Sandboxes;
import dev.mcpstdio.process.ProcessLauncher;
import dev.mcpstdio.process.InheritEnv;
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
	void connectionsPastMaxProxyConnectionsAreClosedAtOnceAndTheProxyHoldsTwoThreadsPerPlaceAtMost() {
		Sandboxes.assumeAvailable();
		int max = 4;
		int port = this.http.getAddress().getPort();
		McpStdioServers servers = registry(McpStdioServersTests.definition("flood",
				Probe.python("flood")
					.confinement(confined(new Settings().allowedDomains("localhost").maxProxyConnections(max).build()))
					.build()));
		servers.startAll().join();
		McpSyncClient probe = servers.client("flood");
		int jvmThreads = ManagementFactory.getThreadMXBean().getThreadCount();
		// tunnels that stay open, each a thread for each direction
		assertThat(Probe.call(probe, "hold",
				Map.of("count", max, "send", "CONNECT localhost:" + port + " HTTP/1.1\r\n\r\n")))
			.isEqualTo("ok holding " + max);
		// then ten times as many that never finish their request
		int flood = 10 * max;
		assertThat(Probe.call(probe, "hold",
				Map.of("count", flood, "send", "GET http://localhost:" + port + "/ HTTP/1.1\r\n")))
			.isEqualTo("ok holding " + (max + flood));
		// well before the request timeout (10 s): the places are taken, the flood closed
		assertThat(Probe.call(probe, "ends", Map.of("count", flood, "seconds", 8)))
			.startsWith("ok ended " + flood + " in ")
			.endsWith(", " + max + " open");
		assertThat(proxyThreads("flood")).hasSizeLessThanOrEqualTo(2 * max);
		// the JVM's own: the proxy's deadline timer starts at the first request, and
		// other
		// threads come and go; none is the flood's
		assertThat(ManagementFactory.getThreadMXBean().getThreadCount() - jvmThreads).isLessThanOrEqualTo(2 * max + 2);
		servers.server("flood").stop();
		await().atMost(Duration.ofSeconds(10)).until(() -> proxyThreads("flood").isEmpty());
	}

	@Test
	void requestThatNeverEndsIsClosedAtTheRequestTimeoutHoweverSlowlyItTrickles() {
		Sandboxes.assumeAvailable();
		int port = this.http.getAddress().getPort();
		McpSyncClient probe = start(Probe.python("slowloris")
			.confinement(confined(new Settings().allowedDomains("localhost").maxProxyConnections(2).build()))
			.build());
		String partial = "GET http://localhost:" + port + "/ HTTP/1.1\r\nX-Slow: ";
		assertThat(Probe.call(probe, "hold", Map.of("count", 1, "send", partial))).isEqualTo("ok holding 1");
		// the proxy's request timeout is 10 s: a byte every half second does not extend
		// it
		String trickled = Probe.call(probe, "trickle", Map.of("send", partial, "seconds", 30));
		assertThat(trickled).startsWith("ok closed after ");
		double seconds = Double.parseDouble(trickled.split(" ")[3]);
		assertThat(seconds).as(trickled).isBetween(8.0, 15.0);
		// the silent one, opened first, was closed first
		assertThat(Probe.call(probe, "ends", Map.of("count", 1, "seconds", 5))).startsWith("ok ended 1 in 0.")
			.endsWith(", 0 open");
		// and both places are free again
		assertThat(Probe.call(probe, "get", Map.of("url", "http://localhost:" + port + "/")))
			.isEqualTo("ok status 200 hello from the host");
	}

	@Test
	void requestHeadPastItsMostIsClosedUnansweredAndTheProxyKeepsServing() {
		Sandboxes.assumeAvailable();
		int port = this.http.getAddress().getPort();
		McpSyncClient probe = start(Probe.python("giant-header")
			.confinement(confined(new Settings().allowedDomains("localhost").build()))
			.build());
		String giant = "GET http://localhost:" + port + "/ HTTP/1.1\r\nX-Giant: " + "a".repeat(1 << 20) + "\r\n\r\n";
		String answer = Probe.call(probe, "raw", Map.of("send", giant));
		assertThat(answer).doesNotContain("hello from the host").doesNotContain("200");
		assertThat(answer).isIn("ok answer ", "error ConnectionResetError: [Errno 104] Connection reset by peer",
				"error BrokenPipeError: [Errno 32] Broken pipe");
		assertThat(Probe.call(probe, "get", Map.of("url", "http://localhost:" + port + "/")))
			.isEqualTo("ok status 200 hello from the host");
	}

	@Test
	void anyDomainRefusesEveryFormOfALoopbackHostOverHttp() {
		Sandboxes.assumeAvailable();
		int port = this.http.getAddress().getPort();
		McpSyncClient probe = start(Probe.python("loopback-forms")
			.confinement(confined(new Settings().allowedDomains("*").build()))
			.build());
		// decimal, shortened and hexadecimal IPv4, IPv4 in IPv6 (mapped, compatible, in
		// hex), IPv6 loopback in full and with a zone, a trailing dot, upper case, the
		// empty host (the JDK's resolver makes it the loopback), userinfo
		List<String> hosts = List.of("2130706433", "127.1", "0x7f.1", "0x7f000001", "[::ffff:127.0.0.1]",
				"[::127.0.0.1]", "[::ffff:7f00:1]", "[0:0:0:0:0:0:0:1]", "[::1%lo]", "[::1%251]", "localhost.",
				"LOCALHOST", "LocalHost.", "", "allowed.example@127.0.0.1", "127.0.0.1%2e", "127.0.0.1.", "[::]", "0",
				"0.0.0.0", "runsc", "vm");
		for (String host : hosts) {
			String authority = host.isEmpty() ? "" : host + ":" + port;
			for (String request : List.of("GET http://" + authority + "/ HTTP/1.1\r\nHost: localhost:" + port,
					"CONNECT " + authority + " HTTP/1.1")) {
				String answer = Probe.call(probe, "raw", Map.of("send", request + "\r\n\r\n"));
				assertThat(answer).as(request)
					.startsWith("ok answer HTTP/1.1 ")
					.doesNotStartWith("ok answer HTTP/1.1 200")
					.doesNotContain("hello from the host");
			}
		}
	}

	@Test
	void anyDomainRefusesEveryFormOfALoopbackHostOverSocks() {
		Sandboxes.assumeAvailable();
		int port = this.http.getAddress().getPort();
		McpSyncClient probe = start(Probe.python("loopback-socks")
			.confinement(confined(new Settings().allowedDomains("*").build()))
			.build());
		List<String> requests = new ArrayList<>();
		for (String name : List.of("localhost", "LOCALHOST.", "127.0.0.1", "2130706433", "0x7f.1", "::1", "[::1]",
				"::ffff:127.0.0.1", "[0:0:0:0:0:0:0:1]", "", "a".repeat(255), "0.0.0.0", "runsc")) {
			byte[] bytes = name.getBytes(StandardCharsets.US_ASCII);
			requests.add("03" + String.format("%02x", bytes.length) + HexFormat.of().formatHex(bytes));
		}
		requests.add("01" + "7f000001");
		requests.add("01" + "00000000");
		requests.add("04" + "00000000000000000000000000000001");
		requests.add("04" + "00000000000000000000ffff7f000001");
		requests.add("04" + "000000000000000000000000" + "7f000001");
		requests.add("04" + "0064ff9b0000000000000000" + "7f000001");
		requests.add("04" + "2002" + "7f000001" + "00000000000000000000");
		for (String address : requests) {
			String answer = Probe.call(probe, "raw",
					Map.of("hex", "050100" + "050100" + address + String.format("%04x", port)));
			// the greeting's answer, then the request's: 05 <reply> ...; 00 is success
			assertThat(answer).as(address).startsWith("ok answer 050005").doesNotStartWith("ok answer 05000500");
		}
	}

	@Test
	void literalDomainIsReachedAtAValidPortOnlyAndByTheRequestTargetNotTheHostHeader() {
		Sandboxes.assumeAvailable();
		int port = this.http.getAddress().getPort();
		McpSyncClient probe = start(Probe.python("literal-ports")
			.confinement(confined(new Settings().allowedDomains("localhost").build()))
			.build());
		for (String authority : List.of("localhost:0", "localhost:65536", "localhost:99999999999", "localhost:-1",
				"localhost:" + port + "0000", "localhost:0x50")) {
			assertThat(Probe.call(probe, "raw", Map.of("send", "CONNECT " + authority + " HTTP/1.1\r\n\r\n")))
				.as(authority)
				.startsWith("ok answer HTTP/1.1 400 ");
		}
		// a second port makes the first part of the host, which is then not the allowed
		// one
		assertThat(Probe.call(probe, "raw",
				Map.of("send", "CONNECT localhost:" + port + ":" + port + " HTTP/1.1\r\n\r\n")))
			.startsWith("ok answer HTTP/1.1 403 ");
		// SOCKS to port 0 of the allowed host: nothing listens there
		assertThat(Probe.call(probe, "raw", Map.of("hex", "050100" + "050100" + "03096c6f63616c686f7374" + "0000")))
			.startsWith("ok answer 050005")
			.doesNotStartWith("ok answer 05000500");
		// the Host header does not choose where the request goes, the request target does
		assertThat(Probe.call(probe, "raw",
				Map.of("send", "GET http://127.0.0.1:" + port + "/ HTTP/1.1\r\nHost: localhost:" + port + "\r\n\r\n")))
			.startsWith("ok answer HTTP/1.1 403 ");
		// userinfo names no host of its own
		for (String authority : List.of("localhost@127.0.0.1:" + port, "127.0.0.1@localhost:" + port,
				"localhost:" + port + "@127.0.0.1")) {
			assertThat(Probe.call(probe, "raw",
					Map.of("send", "GET http://" + authority + "/ HTTP/1.1\r\nHost: localhost\r\n\r\n")))
				.as(authority)
				.doesNotContain("hello from the host")
				.doesNotStartWith("ok answer HTTP/1.1 200");
		}
		assertThat(Probe.call(probe, "raw",
				Map.of("send", "GET http://LOCALHOST:" + port + "/ HTTP/1.1\r\nHost: evil.example\r\n\r\n")))
			.startsWith("ok answer HTTP/1.1 200 ")
			.endsWith("hello from the host");
	}

	@Test
	void linksLeftInThePrivateWorkingDirectoryGoWithItAndWhatTheyPointToStays() throws IOException {
		Sandboxes.assumeAvailable();
		Path base = hostDirectory(this.unique);
		Path file = Files.writeString(base.resolve("file"), "the host's\n");
		Path directory = Files.createDirectories(base.resolve("directory"));
		Path inner = Files.writeString(directory.resolve("inner"), "the host's too\n");
		McpStdioServers servers = registry(McpStdioServersTests.definition("linker",
				Probe.python("linker").confinement(confined(new Settings().build())).build()));
		servers.startAll().join();
		McpSyncClient probe = servers.client("linker");
		Path work = Path.of(Probe.call(probe, "cwd", Map.of()).substring(3));
		assertThat(shell(probe, "ln -s " + file + " file-link && ln -s " + directory + " directory-link"
				+ " && ln -s / root-link && mkdir closed && ln -s " + directory + " closed/link && chmod 000 closed"))
			.isEqualTo("ok exit 0 ");
		assertThat(Files.isSymbolicLink(work.resolve("directory-link"))).isTrue();
		servers.server("linker").stop();
		await().atMost(Duration.ofSeconds(10)).until(() -> !Files.exists(work.getParent(), LinkOption.NOFOLLOW_LINKS));
		assertThat(file).hasContent("the host's");
		assertThat(inner).hasContent("the host's too");
		assertThat(Files.getPosixFilePermissions(directory)).isEqualTo(PosixFilePermissions.fromString("rwxr-xr-x"));
	}

	@Test
	void hardLinkFromAnAllowWritePathToAProtectedFileIsRefused() throws IOException {
		Sandboxes.assumeAvailable();
		Path base = hostDirectory(this.unique);
		Path data = Sandboxes.writableBySandbox(List.of(), Files.createDirectories(base.resolve("data")));
		Path outside = Sandboxes.writableBySandbox(List.of(), Files.createDirectories(base.resolve("outside")));
		// owned by the server's user and writable by all, so that no rule of the kernel
		// on hard links refuses them: only the sandbox stands in the way
		Path trusted = Sandboxes.writableBySandbox(List.of(),
				Files.writeString(data.resolve("trusted"), "the host's\n"));
		Path other = Sandboxes.writableBySandbox(List.of(),
				Files.writeString(outside.resolve("other"), "the host's\n"));
		for (Path path : List.of(trusted, other)) {
			Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-rw-rw-"));
		}
		McpSyncClient probe = start(Probe.python("hard-linker")
			.confinement(confined(new Settings().allowWrite(data.toString()).denyWrite(trusted.toString()).build()))
			.build());
		for (Path target : List.of(trusted, other)) {
			Path link = data.resolve("link-to-" + target.getFileName());
			String linked = shell(probe, "ln " + target + " " + link);
			assertThat(linked).as(target.toString()).doesNotStartWith("ok exit 0");
			assertThat(write(probe, link.toString())).startsWith("ok wrote");
			assertThat(target).as(linked).hasContent("the host's");
		}
	}

	@Test
	void forkBombStopsAtTheProcessLimitAndTheServerKeepsAnswering() {
		Sandboxes.assumeAvailable();
		int limit = 32;
		McpSyncClient probe = start(Probe.python("fork-bomb")
			.confinement(
					new Confinement(new Settings().build(), new ResourceLimits(0, Duration.ZERO, limit, 0, 0), true))
			.build());
		// children that wait for their parent's end on a pipe, at most 400 of them
		String bomb = shell(probe,
				"python3 -c 'import os\nr, w = os.pipe()\nn = 0\nerror = \"none\"\n"
						+ "while n < 400:\n    try:\n        pid = os.fork()\n    except OSError as e:\n"
						+ "        error = e.strerror\n        break\n    if pid == 0:\n        os.close(w)\n"
						+ "        os.read(r, 1)\n        os._exit(0)\n    n += 1\nprint(n, error)'");
		assertThat(bomb).startsWith("ok exit 0 ").endsWith(" Resource temporarily unavailable");
		assertThat(Integer.parseInt(bomb.split(" ")[3])).isLessThan(limit);
		assertThat(Probe.call(probe, "pid", Map.of())).startsWith("ok ");
		assertThat(shell(probe, "true")).isEqualTo("ok exit 0 ");
	}

	@Test
	void fileSizeLimitBoundsEachFileOfThePrivateWorkingDirectoryNotTheirSum() {
		Sandboxes.assumeAvailable();
		long size = 4L << 20;
		McpSyncClient probe = start(Probe.python("disk-filler")
			.confinement(
					new Confinement(new Settings().build(), new ResourceLimits(0, Duration.ZERO, 0, 0, size), true))
			.build());
		// the private working directory is on the host's disk, not a sized tmpfs: each
		// file
		// stops at limits.file-size, nothing bounds how many files there are
		for (String file : List.of("one", "two", "three")) {
			assertThat(Probe.call(probe, "fill", Map.of("path", file, "megabytes", 16))).as(file)
				.isEqualTo("ok filled " + size + " EFBIG");
		}
		assertThat(shell(probe, "cat one two three | wc -c")).isEqualTo("ok exit 0 " + 3 * size);
	}

	@Test
	void serverSeesNoProcessNorVariableOfTheJvmAndCannotSignalIt() {
		Sandboxes.assumeAvailable();
		McpSyncClient probe = start(Probe.python("host-view").confinement(confined(new Settings().build())).build());
		long jvm = ProcessHandle.current().pid();
		assertThat(shell(probe, "cat /proc/[0-9]*/cmdline | tr '\\0' ' '")).doesNotContain("java");
		assertThat(shell(probe, "kill -0 " + jvm)).doesNotStartWith("ok exit 0");
		assertThat(shell(probe, "cat /proc/1/comm")).isEqualTo("ok exit 0 bwrap");
		List<String> names = List.of(Probe.call(probe, "env", Map.of()).substring(3).split(" "));
		assertThat(names).allSatisfy((name) -> assertThat(InheritEnv.MINIMAL.inherits(name)
				|| name.startsWith("MCP_STDIO_") || name.equals("LC_CTYPE") || name.equals("PWD"))
			.as(name)
			.isTrue());
		assertThat(shell(probe, "echo x > /sys/fs/cgroup/" + this.unique)).doesNotStartWith("ok exit 0");
		assertThat(shell(probe, "echo x > /dev/tty")).doesNotStartWith("ok exit 0");
		assertThat(shell(probe, "ls /dev/pts")).isEqualTo("ok exit 0 ptmx");
		// the seccomp filter's descriptor is read by bubblewrap, not left to the server
		McpSyncClient proxied = start(Probe.python("host-view-proxied")
			.confinement(confined(new Settings().allowedDomains("localhost").build()))
			.build());
		for (McpSyncClient server : List.of(probe, proxied)) {
			assertThat(shell(server, "ls -l /proc/$PPID/fd/ | grep -c seccomp; ls /proc/$PPID/fd/9"))
				.startsWith("ok exit 2 0\n")
				.contains("No such file or directory");
		}
	}

	@Test
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

	/** The threads of the proxy of a server that serve its connections. */
	private static List<Thread> proxyThreads(String server) {
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter((thread) -> thread.getName().startsWith("mcp-stdio-proxy-" + server + "-"))
			.toList();
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
