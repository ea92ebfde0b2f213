package dev.mcpstdio.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.sun.net.httpserver.HttpServer;
import dev.mcpstdio.fixture.Probe;
import dev.mcpstdio.fixture.Sandboxes;
import dev.mcpstdio.process.ProcessLauncher;
import dev.mcpstdio.process.ProcessSpec;
import dev.mcpstdio.process.orphan.OrphanGuardDemo;
import dev.mcpstdio.process.sandbox.Confiner;
import dev.mcpstdio.process.sandbox.Confinement;
import dev.mcpstdio.process.sandbox.ResourceLimits;
import dev.mcpstdio.process.sandbox.SandboxSettings;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.json.McpJsonDefaults;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A hostile server against its sandbox: each test is one way out a server would try,
 * through the starter as a user runs it, and checks that the sandbox refuses it and that
 * the host is unchanged. The attacks that depend on the command line bubblewrap gets run
 * twice: with no network (the filter on the sandbox itself) and with allowed domains (a
 * second bubblewrap puts the filter on the command, {@code socat} runs outside it).
 */
@EnabledOnOs(OS.LINUX)
class SandboxEscapeTests {

	private static final String NO_CAPABILITY = "0000000000000000";

	private final List<McpStdioServers> registries = new ArrayList<>();

	/** Host files and directories to remove after each test, the deepest last. */
	private final List<Path> cleanup = new ArrayList<>();

	private final List<AutoCloseable> closeables = new ArrayList<>();

	private final List<ProcessHandle> leftovers = new ArrayList<>();

	private final String unique = "mcp-stdio-escape-" + ProcessHandle.current().pid() + "-" + System.nanoTime();

	private HttpServer http;

	@TempDir
	Path ledger;

	@BeforeEach
	void localHttpServer() throws IOException {
		this.http = Sandboxes.helloServer();
	}

	@AfterEach
	void close() throws Exception {
		this.registries.forEach(McpStdioServers::close);
		this.http.stop(0);
		for (AutoCloseable closeable : this.closeables) {
			closeable.close();
		}
		this.leftovers.forEach(ProcessHandle::destroyForcibly);
		for (int i = this.cleanup.size() - 1; i >= 0; i--) {
			deleteTree(this.cleanup.get(i));
		}
	}

	/** The network a sandbox gets, which changes the command line bubblewrap gets. */
	enum Network {

		/** No network: one bubblewrap, which loads the filter itself. */
		NONE,

		/**
		 * Allowed domains: socat offers the proxy, a second bubblewrap loads the filter.
		 */
		PROXY;

		List<String> allowedDomains() {
			return (this == NONE) ? List.of() : List.of("localhost");
		}

	}

	@ParameterizedTest
	@EnumSource(Network.class)
	void serverHoldsNoCapabilityRunsAsNobodyWithNoNewPrivilegesUnderTheFilter(Network network) throws IOException {
		Sandboxes.assumeAvailable();
		McpSyncClient probe = start(Probe.python("caps").confinement(confined(sandbox(network).build())).build());
		Map<String, String> status = status(probe);
		assertThat(status).containsEntry("CapEff", NO_CAPABILITY)
			.containsEntry("CapPrm", NO_CAPABILITY)
			.containsEntry("CapBnd", NO_CAPABILITY)
			.containsEntry("CapAmb", NO_CAPABILITY)
			.containsEntry("CapInh", NO_CAPABILITY)
			.containsEntry("NoNewPrivs", "1")
			.containsEntry("Seccomp", "2");
		int uid = Sandboxes.root() ? Sandboxes.NOBODY : (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
		// real, effective, saved and file system uid
		assertThat(status.get("Uid")).isEqualTo(String.join("\t", List.of(uid + "", uid + "", uid + "", uid + "")));
	}

	@ParameterizedTest
	@EnumSource(Network.class)
	void serverCannotRemountTheRootNorWriteOutsideItsPaths(Network network) throws IOException {
		Sandboxes.assumeAvailable();
		// outside /tmp (which the sandbox replaces), writable by the server's user
		Path elsewhere = Sandboxes.writableBySandbox(List.of(), hostDirectory(this.unique));
		McpSyncClient probe = start(Probe.python("remount").confinement(confined(sandbox(network).build())).build());
		assertThat(shell(probe, "mount -o remount,rw /")).doesNotStartWith("ok exit 0");
		assertThat(shell(probe, "mount -o remount,rw " + elsewhere)).doesNotStartWith("ok exit 0");
		assertThat(shell(probe, "mount -t tmpfs none " + elsewhere)).doesNotStartWith("ok exit 0");
		assertThat(write(probe, elsewhere.resolve("f").toString())).contains("Read-only file system");
		assertThat(write(probe, "/etc/" + this.unique)).contains("Read-only file system");
		assertThat(elsewhere.resolve("f")).doesNotExist();
		assertThat(Path.of("/etc", this.unique)).doesNotExist();
		assertThat(Probe.call(probe, "pid", Map.of())).startsWith("ok ");
	}

	@ParameterizedTest
	@EnumSource(Network.class)
	void serverCannotWriteASysctlBackNorMakeAUserNamespace(Network network) {
		Sandboxes.assumeAvailable();
		McpSyncClient probe = start(Probe.python("sysctl").confinement(confined(sandbox(network).build())).build());
		for (String sysctl : List.of("/proc/sys/kernel/core_pattern", "/proc/sys/kernel/hostname",
				"/proc/sys/kernel/domainname", "/proc/sys/vm/overcommit_memory")) {
			assertThat(Probe.call(probe, "read", Map.of("path", sysctl))).as(sysctl).startsWith("ok read");
			// the value it has, written back unchanged: nothing changes even where it
			// were let through
			assertThat(shell(probe, "v=$(cat " + sysctl + ") && printf '%s\\n' \"$v\" > " + sysctl)).as(sysctl)
				.doesNotStartWith("ok exit 0")
				.contains("Read-only file system");
		}
		assertThat(shell(probe, "unshare -U true")).doesNotStartWith("ok exit 0");
		assertThat(shell(probe, "unshare -U -r true")).doesNotStartWith("ok exit 0");
		// the host itself makes user namespaces (bubblewrap needs them): the refusal
		// is the sandbox's
		McpSyncClient open = start(Probe.python("userns-open").build());
		assertThat(shell(open, "unshare -U true")).isEqualTo("ok exit 0 ");
	}

	@ParameterizedTest
	@EnumSource(Network.class)
	void serverCannotTraceItsInitNorAChildNorUseTheKeyring(Network network) {
		Sandboxes.assumeAvailable();
		McpSyncClient probe = start(Probe.python("ptrace").confinement(confined(sandbox(network).build())).build());
		assertThat(Probe.call(probe, "ptrace", Map.of("pid", "1")))
			.isEqualTo("error PermissionError: [Errno 1] Operation not permitted");
		assertThat(Probe.call(probe, "ptrace", Map.of("pid", "child")))
			.isEqualTo("error PermissionError: [Errno 1] Operation not permitted");
		assertThat(Probe.call(probe, "keyctl", Map.of()))
			.isEqualTo("error PermissionError: [Errno 1] Operation not permitted");
		// unconfined, the same calls go through: the refusals are the filter's
		McpSyncClient open = start(Probe.python("ptrace-open").build());
		assertThat(Probe.call(open, "ptrace", Map.of("pid", "child"))).startsWith("ok attached");
		assertThat(Probe.call(open, "keyctl", Map.of())).startsWith("ok keyring");
	}

	@ParameterizedTest
	@EnumSource(Network.class)
	void serverCannotWriteTheMemoryOfAProcessOutsideTheFilter(Network network) {
		Sandboxes.assumeAvailable();
		McpSyncClient probe = start(Probe.python("mem").confinement(confined(sandbox(network).build())).build());
		// every process of the sandbox that runs without the filter (bubblewrap's own,
		// socat): opening its memory for writing would inject code past the filter
		String unfiltered = shell(probe, "for p in /proc/[0-9]*; do"
				+ " if grep -q '^Seccomp:[[:space:]]*0' $p/status 2>/dev/null; then"
				+ " echo \"unfiltered ${p#/proc/} $(cat $p/comm)\";"
				+ " (exec 3<>$p/mem) 2>/dev/null && echo \"writable ${p#/proc/} $(cat $p/comm)\"; fi; done; echo end");
		assertThat(unfiltered).startsWith("ok exit 0").endsWith("end");
		if (network == Network.PROXY) {
			assertThat(unfiltered).contains(" socat");
		}
		assertThat(unfiltered).doesNotContain("writable");
	}

	@Test
	void filledPrivateTmpAndShmStopAtTheirSizeAndTheServerKeepsAnswering() {
		Sandboxes.assumeAvailable();
		long size = 32L << 20;
		McpSyncClient probe = start(Probe.python("filler")
			.confinement(new Confinement(sandbox(Network.NONE).build(),
					new ResourceLimits(size, Duration.ZERO, 0, 0, 0), true))
			.build());
		for (String directory : List.of("/tmp", "/dev/shm")) {
			String path = directory + "/" + this.unique;
			String filled = Probe.call(probe, "fill", Map.of("path", path, "megabytes", 64));
			assertThat(filled).as(directory).startsWith("ok filled ").endsWith(" ENOSPC");
			long bytes = Long.parseLong(filled.split(" ")[2]);
			assertThat(bytes).as(directory).isBetween(size - (1L << 20), size);
			assertThat(Path.of(path)).as(directory).doesNotExist();
			assertThat(Probe.call(probe, "pid", Map.of())).startsWith("ok ");
		}
		assertThat(write(probe, "/dev/" + this.unique)).contains("Read-only file system");
		assertThat(shell(probe, "mknod /dev/" + this.unique + " c 1 3")).doesNotStartWith("ok exit 0");
		assertThat(Path.of("/dev", this.unique)).doesNotExist();
		assertThat(Probe.call(probe, "pid", Map.of())).startsWith("ok ");
	}

	@Test
	void proxyDirectoryIsReadOnlyUnreachableAndGoesWithTheServer() throws IOException {
		Sandboxes.assumeAvailable();
		McpStdioServers servers = registry(
				Probe.python("proxied").confinement(confined(sandbox(Network.PROXY).build())).build());
		servers.startAll().join();
		McpSyncClient probe = servers.client("proxied");
		Path hostDirectory = Path.of(boundTo(servers.server("proxied"), "/tmp/.mcp-stdio-proxy"));
		assertThat(hostDirectory.resolve("proxy.sock")).exists();
		assertThat(write(probe, "/tmp/.mcp-stdio-proxy/" + this.unique)).contains("Read-only file system");
		assertThat(shell(probe, "mv /tmp/.mcp-stdio-proxy/proxy.sock /tmp/.mcp-stdio-proxy/moved"))
			.doesNotStartWith("ok exit 0")
			.contains("Read-only file system");
		assertThat(shell(probe, "rm -f /tmp/.mcp-stdio-proxy/proxy.sock")).doesNotStartWith("ok exit 0")
			.contains("Read-only file system");
		// the proxy's socket is for socat, outside the filter: the server opens no unix
		// socket
		assertThat(Probe.call(probe, "unix", Map.of("path", "/tmp/.mcp-stdio-proxy/proxy.sock")))
			.isEqualTo("error PermissionError: [Errno 1] Operation not permitted");
		assertThat(hostDirectory.resolve(this.unique)).doesNotExist();
		assertThat(hostDirectory.resolve("proxy.sock")).exists();
		int port = this.http.getAddress().getPort();
		assertThat(Probe.call(probe, "fetch", Map.of("url", "http://localhost:" + port + "/")))
			.isEqualTo("ok fetched hello from the host");
		servers.server("proxied").stop();
		await().atMost(Duration.ofSeconds(10)).until(() -> !Files.exists(hostDirectory));
	}

	@Test
	void serverWithoutAWorkingDirectoryWorksInAPrivateOneAndCannotWriteTheApplicationsDirectory() throws IOException {
		Sandboxes.assumeAvailable();
		McpStdioServers servers = registry(
				Probe.python("private-wd").confinement(confined(sandbox(Network.NONE).build())).build());
		servers.startAll().join();
		McpSyncClient probe = servers.client("private-wd");
		String cwd = Probe.call(probe, "cwd", Map.of());
		assertThat(cwd).startsWith("ok /");
		Path work = Path.of(cwd.substring(3));
		Path application = Path.of(System.getProperty("user.dir"));
		assertThat(work).isNotEqualTo(application);
		assertThat(application.startsWith(work)).isFalse();
		assertThat(work.getFileName()).hasToString("work");
		assertThat(write(probe, work.resolve("f").toString())).startsWith("ok wrote");
		assertThat(write(probe, "f")).startsWith("ok wrote");
		assertThat(work.resolve("f")).hasContent("probe");
		Path intruder = application.resolve(this.unique);
		this.cleanup.add(intruder);
		// an application under /tmp (a CI checkout) is not even there, in the private
		// /tmp
		assertThat(write(probe, intruder.toString()))
			.contains(application.startsWith("/tmp") ? "No such file or directory" : "Read-only file system");
		assertThat(intruder).doesNotExist();
		servers.server("private-wd").stop();
		await().atMost(Duration.ofSeconds(10)).until(() -> !Files.exists(work.getParent()));
	}

	@Test
	void applicationFileUnderAllowWriteIsHiddenAndNeverWritableEvenWhenReadable() throws IOException {
		Sandboxes.assumeAvailable();
		Path config = Sandboxes.writableBySandbox(List.of(), hostDirectory(this.unique + "/config"));
		Path file = Files.writeString(config.resolve("application.yml"), "secret: the host's\n");
		// writable by the server's user but for the sandbox
		Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-rw-"));
		SandboxSettings hidden = sandbox(Network.NONE).allowWrite(config.toString())
			.applicationFiles(file.toString())
			.build();
		McpSyncClient hiding = start(Probe.python("app-hidden").confinement(confined(hidden)).build());
		assertThat(read(hiding, file)).startsWith("error PermissionError");
		assertThat(write(hiding, file.toString())).startsWith("error");
		Path replacement = config.resolve("replacement.yml");
		assertThat(shell(hiding, "echo 'secret: the server' > " + replacement)).isEqualTo("ok exit 0 ");
		assertThat(shell(hiding, "mv " + replacement + " " + file)).doesNotStartWith("ok exit 0");
		assertThat(shell(hiding, "ln -f " + replacement + " " + file)).doesNotStartWith("ok exit 0");
		assertThat(shell(hiding, "rm -f " + file)).doesNotStartWith("ok exit 0");
		// the rest of allow-write stays writable
		assertThat(write(hiding, config.resolve("other.yml").toString())).startsWith("ok wrote");
		SandboxSettings readable = sandbox(Network.NONE).allowWrite(config.toString())
			.applicationFiles(file.toString())
			.allowRead(file.toString())
			.build();
		McpSyncClient reading = start(Probe.python("app-readable").confinement(confined(readable)).build());
		assertThat(read(reading, file)).isEqualTo("ok read secret: the host's\n");
		assertThat(write(reading, file.toString())).contains("Read-only file system");
		assertThat(shell(reading, "rm -f " + file)).doesNotStartWith("ok exit 0");
		assertThat(file).hasContent("secret: the host's\n");
	}

	@Test
	void applicationFileCannotBeReplacedByMovingTheDirectoryAboveIt() throws IOException {
		Sandboxes.assumeAvailable();
		Path application = Sandboxes.writableBySandbox(List.of(), hostDirectory(this.unique));
		Path config = Sandboxes.writableBySandbox(List.of(), Files.createDirectories(application.resolve("config")));
		Path file = Files.writeString(config.resolve("application.yml"), "secret: the host's\n");
		// allow-write names the application's directory, which holds its configuration
		McpSyncClient probe = start(Probe.python("app-mover")
			.confinement(confined(
					sandbox(Network.NONE).allowWrite(application.toString()).applicationFiles(file.toString()).build()))
			.build());
		String moved = shell(probe, "cd " + application + " && mv config config.old && mkdir config"
				+ " && echo 'secret: the server' > config/application.yml");
		assertThat(file).as(moved).hasContent("secret: the host's\n");
	}

	@Test
	void denyWriteFileCannotBeReplacedByMovingTheDirectoryAboveIt() throws IOException {
		Sandboxes.assumeAvailable();
		Path data = Sandboxes.writableBySandbox(List.of(), hostDirectory(this.unique));
		Path keys = Sandboxes.writableBySandbox(List.of(), Files.createDirectories(data.resolve("keys")));
		Path file = Files.writeString(keys.resolve("trusted"), "the host's\n");
		Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-rw-"));
		McpSyncClient probe = start(Probe.python("deny-write-mover")
			.confinement(confined(sandbox(Network.NONE).allowWrite(data.toString()).denyWrite(file.toString()).build()))
			.build());
		assertThat(write(probe, file.toString())).contains("Read-only file system");
		String moved = shell(probe,
				"cd " + data + " && mv keys keys.old && mkdir keys && echo 'the server' > keys/trusted");
		assertThat(file).as(moved).hasContent("the host's\n");
	}

	@Test
	void homesCredentialStoresAreHiddenUnlessAllowRead() throws IOException {
		Sandboxes.assumeAvailable();
		// a home the server's user may search, as a user's home is to the user
		Path home = hostDirectory(this.unique + "-home");
		Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwxr-xr-x"));
		List<String> stores = List.of(".ssh/id_rsa", ".aws/credentials", ".kube/config", ".npmrc", ".m2/settings.xml",
				".docker/config.json", ".git-credentials", ".config/gcloud/credentials.db");
		for (String store : stores) {
			Path path = home.resolve(store);
			Files.createDirectories(path.getParent());
			for (Path directory = path.getParent(); !directory.equals(home); directory = directory.getParent()) {
				Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));
			}
			Files.writeString(path, "secret of " + store);
			Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-r--r--"));
		}
		String userHome = System.getProperty("user.home");
		McpSyncClient open;
		McpSyncClient hiding;
		McpSyncClient npm;
		System.setProperty("user.home", home.toString());
		try {
			open = start(Probe.python("home-open").build());
			hiding = start(Probe.python("home-hidden").confinement(confined(sandbox(Network.NONE).build())).build());
			npm = start(Probe.python("home-npm")
				.confinement(confined(sandbox(Network.NONE).allowRead("~/.npmrc").build()))
				.build());
		}
		finally {
			System.setProperty("user.home", userHome);
		}
		for (String store : stores) {
			Path path = home.resolve(store);
			assertThat(read(open, path)).as(store).isEqualTo("ok read secret of " + store);
			assertThat(read(hiding, path)).as(store).startsWith("error PermissionError");
			if (store.equals(".npmrc")) {
				assertThat(read(npm, path)).isEqualTo("ok read secret of .npmrc");
			}
			else {
				assertThat(read(npm, path)).as(store).startsWith("error PermissionError");
			}
		}
		// a file of the home that holds no credential stays readable
		Path profile = Files.writeString(home.resolve(".profile"), "PATH=/usr/bin");
		assertThat(read(hiding, profile)).isEqualTo("ok read PATH=/usr/bin");
	}

	@Test
	void realHomesCredentialStoresAreHiddenOrUnreachable() throws IOException {
		Sandboxes.assumeAvailable();
		// as root the server runs as nobody, which cannot even reach a 0700 /root: the
		// test with a home it may search is homesCredentialStoresAreHiddenUnlessAllowRead
		Path home = Path.of(System.getProperty("user.home"));
		List<Path> planted = new ArrayList<>();
		for (String directory : List.of(".ssh", ".aws", ".kube", ".docker", ".gnupg")) {
			Path store = home.resolve(directory);
			if (!Files.exists(store)) {
				Files.createDirectories(store);
				this.cleanup.add(store);
			}
			Path file = Files.writeString(store.resolve(this.unique), "secret of " + directory);
			this.cleanup.add(file);
			planted.add(file);
		}
		McpSyncClient open = start(Probe.python("real-home-open").build());
		McpSyncClient hiding = start(
				Probe.python("real-home-hidden").confinement(confined(sandbox(Network.NONE).build())).build());
		for (Path file : planted) {
			assertThat(read(open, file)).as(file.toString()).startsWith("ok read secret of");
			assertThat(read(hiding, file)).as(file.toString()).startsWith("error PermissionError");
		}
	}

	@Test
	void unixSocketsAreRefusedUnlessAllowedAndThenOnlyTheAllowedOne() throws IOException {
		Sandboxes.assumeAvailable();
		Path run = Path.of("/run", this.unique + ".sock");
		Path place = hostDirectory(this.unique + "-sockets");
		Files.setPosixFilePermissions(place, PosixFilePermissions.fromString("rwxr-xr-x"));
		Path allowed = place.resolve("allowed.sock");
		ServerSocketChannel runSocket = listen(run);
		ServerSocketChannel allowedSocket = listen(allowed);
		McpSyncClient open = start(Probe.python("unix-open").build());
		McpSyncClient refusing = start(
				Probe.python("unix-refused").confinement(confined(sandbox(Network.NONE).build())).build());
		McpSyncClient allowing = start(Probe.python("unix-allowed")
			.confinement(confined(sandbox(Network.NONE).allowUnixSockets(allowed.toString()).build()))
			.build());
		for (Path socket : List.of(run, allowed)) {
			assertThat(unix(refusing, socket)).isEqualTo("error PermissionError: [Errno 1] Operation not permitted");
		}
		// a refused connect was never queued: nothing to accept (a connect that went
		// through is queued before it returns)
		assertThat(runSocket.accept()).isNull();
		assertThat(allowedSocket.accept()).isNull();
		for (ServerSocketChannel socket : List.of(runSocket, allowedSocket)) {
			Path path = (socket == runSocket) ? run : allowed;
			assertThat(unix(open, path)).isEqualTo("ok connected " + path);
			assertThat(accepted(socket)).isTrue();
		}
		assertThat(unix(allowing, allowed)).isEqualTo("ok connected " + allowed);
		assertThat(accepted(allowedSocket)).isTrue();
		assertThat(unix(allowing, run)).startsWith("error");
		assertThat(runSocket.accept()).isNull();
	}

	@Test
	void datagramsFromASocketPairReachNoHostSocketWithoutAllowUnixSockets() throws IOException {
		Sandboxes.assumeAvailable();
		Path place = hostDirectory(this.unique + "-dgram");
		Files.setPosixFilePermissions(place, PosixFilePermissions.fromString("rwxr-xr-x"));
		Path socket = place.resolve("dgram.sock");
		BufferedReader received = datagramReceiver(socket);
		McpSyncClient open = start(Probe.python("dgram-open").build());
		McpSyncClient refusing = start(
				Probe.python("dgram-refused").confinement(confined(sandbox(Network.NONE).build())).build());
		String sent = Probe.call(refusing, "dgram", Map.of("path", socket.toString(), "text", "from the sandbox"));
		assertThat(Probe.call(open, "dgram", Map.of("path", socket.toString(), "text", "from the host")))
			.isEqualTo("ok sent " + socket);
		// a datagram sent from the sandbox was queued before its call returned: it would
		// come first
		assertThat(received.readLine()).as(sent).isEqualTo("from the host");
		assertThat(sent).startsWith("error");
	}

	@Test
	void allowWritePathReplacedByALinkDoesNotBindTheHostsRootAtTheNextLaunch() throws IOException {
		Sandboxes.assumeAvailable();
		Path base = Sandboxes.writableBySandbox(List.of(), hostDirectory(this.unique));
		Path wd = Sandboxes.writableBySandbox(List.of(), Files.createDirectories(base.resolve("wd")));
		Path elsewhere = Sandboxes.writableBySandbox(List.of(), Files.createDirectories(base.resolve("elsewhere")));
		// a relative allow-write path is the working directory's: absent at the first
		// launch, the server makes it a link for the next
		McpStdioServers servers = registry(Probe.python("planter")
			.workingDirectory(wd)
			.confinement(confined(sandbox(Network.NONE).allowWrite("cache").build()))
			.build());
		servers.startAll().join();
		assertThat(shell(servers.client("planter"), "ln -s ../../../.. cache")).isEqualTo("ok exit 0 ");
		assertThat(write(servers.client("planter"), elsewhere.resolve("f").toString()))
			.contains("Read-only file system");
		servers.server("planter").restart();
		await().atMost(Duration.ofSeconds(10))
			.until(() -> EnumSet.of(ServerState.RUNNING, ServerState.FAILED)
				.contains(servers.server("planter").state()));
		if (servers.server("planter").state() == ServerState.RUNNING) {
			assertThat(write(servers.client("planter"), elsewhere.resolve("f").toString()))
				.contains("Read-only file system");
		}
		assertThat(elsewhere.resolve("f")).doesNotExist();
	}

	@Test
	void hostNetworkReachesTheHostsLoopbackAndIsWarnedOnce() {
		Sandboxes.assumeAvailable();
		ListAppender<ILoggingEvent> events = new ListAppender<>();
		events.start();
		Logger logger = (Logger) LoggerFactory.getLogger(Confiner.class);
		logger.addAppender(events);
		try {
			String name = "host-network-" + System.nanoTime();
			McpStdioServers servers = registry(
					Probe.python(name).confinement(confined(sandbox(Network.NONE).hostNetwork().build())).build());
			servers.startAll().join();
			McpSyncClient offline = start(
					Probe.python("no-host-network").confinement(confined(sandbox(Network.NONE).build())).build());
			Map<String, Object> local = Map.of("host", "127.0.0.1", "port", this.http.getAddress().getPort());
			assertThat(Probe.call(servers.client(name), "connect", local)).isEqualTo("ok connected");
			assertThat(Probe.call(offline, "connect", local)).startsWith("error ConnectionRefusedError");
			// the sandbox otherwise holds: no capability, the filter
			assertThat(status(servers.client(name))).containsEntry("CapEff", NO_CAPABILITY)
				.containsEntry("Seccomp", "2");
			servers.server(name).restart();
			await().atMost(Duration.ofSeconds(10)).until(() -> servers.server(name).state() == ServerState.RUNNING);
			assertThat(Probe.call(servers.client(name), "connect", local)).isEqualTo("ok connected");
			List<String> warnings = events.list.stream()
				.filter((event) -> event.getLevel() == Level.WARN)
				.map(ILoggingEvent::getFormattedMessage)
				.filter((message) -> message.contains("sandbox.network.host"))
				.toList();
			assertThat(warnings).singleElement(InstanceOfAssertFactories.STRING).contains("'" + name + "'");
		}
		finally {
			logger.detachAppender(events);
		}
	}

	@Test
	void anyDomainDoesNotShareTheHostsNetworkNorReachItsLoopbackThroughTheProxy() {
		Sandboxes.assumeAvailable();
		McpSyncClient probe = start(Probe.python("any-domain")
			.confinement(confined(sandbox(Network.NONE).allowedDomains("*").build()))
			.build());
		int port = this.http.getAddress().getPort();
		assertThat(Probe.call(probe, "connect", Map.of("host", "127.0.0.1", "port", port)))
			.startsWith("error ConnectionRefusedError");
		for (String host : List.of("127.0.0.1", "localhost", "[::1]", "127.0.0.2", "0.0.0.0")) {
			assertThat(Probe.call(probe, "get", Map.of("url", "http://" + host + ":" + port + "/"))).as(host)
				.startsWith("ok status 403 ")
				.doesNotContain("hello from the host");
		}
		assertThat(Probe.call(probe, "get", Map.of("url", "http://127.0.0.1:" + port + "/"))).contains("loopback");
		assertThat(Probe.call(probe, "tunnel", Map.of("host", "127.0.0.1", "port", port))).contains("403");
	}

	@Test
	void jvmKilledOutrightTakesTheSandboxInitAndAGrandchildThatLeftItsSessionWithIt() throws Exception {
		Sandboxes.assumeAvailable();
		// bubblewrap, the sandbox's init, the server and its grandchild in a session of
		// its own
		List<ProcessHandle> tree = OrphanGuardDemo.runAndKill(this.ledger, "sandboxed-escaping", 1);
		this.leftovers.addAll(tree);
		// nothing removes the sandbox directory of a JVM killed outright: this test does
		try (DirectoryStream<Path> left = Files.newDirectoryStream(Path.of(System.getProperty("java.io.tmpdir")),
				"mcp-stdio-sandbox-sandboxed-escaping-0-*")) {
			left.forEach(this.cleanup::add);
		}
		assertThat(tree).hasSize(4);
		CompletableFuture.allOf(tree.stream().map(ProcessHandle::onExit).toArray(CompletableFuture[]::new))
			.get(10, TimeUnit.SECONDS);
	}

	/**
	 * A host process that receives datagrams on a unix socket anyone may write to, and
	 * prints each on a line.
	 */
	private BufferedReader datagramReceiver(Path socket) throws IOException {
		String code = "import os, socket, sys\n" + "s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)\n"
				+ "s.bind(sys.argv[1])\n" + "os.chmod(sys.argv[1], 0o666)\n" + "print('ready', flush=True)\n"
				+ "while True:\n" + "    print(s.recv(1000).decode(), flush=True)\n";
		Process receiver = new ProcessBuilder("/usr/bin/python3", "-c", code, socket.toString())
			.redirectError(ProcessBuilder.Redirect.INHERIT)
			.start();
		this.leftovers.add(receiver.toHandle());
		BufferedReader lines = new BufferedReader(
				new InputStreamReader(receiver.getInputStream(), StandardCharsets.UTF_8));
		assertThat(lines.readLine()).isEqualTo("ready");
		return lines;
	}

	private ServerSocketChannel listen(Path path) throws IOException {
		ServerSocketChannel channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
		this.closeables.add(channel);
		channel.bind(UnixDomainSocketAddress.of(path));
		this.cleanup.add(path);
		Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-rw-rw-"));
		channel.configureBlocking(false);
		return channel;
	}

	/**
	 * Whether a connection is waiting on the socket; the probe's connect returned, so it
	 * is queued already where it went through.
	 */
	private static boolean accepted(ServerSocketChannel socket) throws IOException {
		try (SocketChannel connection = socket.accept()) {
			return connection != null;
		}
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

	/** What the server's bubblewrap binds at a path of its sandbox. */
	private static String boundTo(McpStdioServer server, String inside) throws IOException {
		long pid = server.pid().orElseThrow();
		byte[] cmdline = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
		List<String> words = Arrays.asList(new String(cmdline, StandardCharsets.UTF_8).split("\0"));
		for (int i = 1; i + 1 < words.size(); i++) {
			if (words.get(i + 1).equals(inside) && words.get(i - 1).endsWith("bind")) {
				return words.get(i);
			}
		}
		throw new AssertionError("nothing bound at " + inside + " in " + words);
	}

	private static void deleteTree(Path root) throws IOException {
		if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
			return;
		}
		try (var paths = Files.walk(root)) {
			List<Path> all = paths.sorted(java.util.Comparator.reverseOrder()).toList();
			for (Path path : all) {
				Files.deleteIfExists(path);
			}
		}
	}

	private McpSyncClient start(ProcessSpec spec) {
		McpStdioServers servers = registry(spec);
		servers.startAll().join();
		return servers.client(spec.name());
	}

	private McpStdioServers registry(ProcessSpec spec) {
		McpStdioServers servers = new McpStdioServers(List.of(McpStdioServersTests.definition(spec.name(), spec)),
				ProcessLauncher.shared(), McpJsonDefaults.getMapper(), Clock.systemUTC());
		this.registries.add(servers);
		return servers;
	}

	private static Confinement confined(SandboxSettings sandbox) {
		return Sandboxes.confined(sandbox);
	}

	private static Settings sandbox(Network network) {
		return new Settings().allowedDomains(network.allowedDomains().toArray(String[]::new));
	}

	/** The lines of /proc/self/status the probe reads inside its sandbox, by name. */
	private static Map<String, String> status(McpSyncClient probe) {
		String text = Probe.call(probe, "status", Map.of());
		assertThat(text).startsWith("ok ");
		Map<String, String> status = new LinkedHashMap<>();
		for (String line : text.substring(3).split("\n")) {
			int colon = line.indexOf(':');
			status.put(line.substring(0, colon), line.substring(colon + 1).strip());
		}
		return status;
	}

	private static String shell(McpSyncClient probe, String command) {
		return Probe.call(probe, "shell", Map.of("command", command));
	}

	private static String write(McpSyncClient probe, String path) {
		return Probe.call(probe, "write", Map.of("path", path));
	}

	private static String read(McpSyncClient probe, Path path) {
		return Probe.call(probe, "read", Map.of("path", path.toString()));
	}

	private static String unix(McpSyncClient probe, Path path) {
		return Probe.call(probe, "unix", Map.of("path", path.toString()));
	}

	/** The settings of a sandbox that fails where it cannot run, built up. */
	private static final class Settings {

		private final List<String> allowWrite = new ArrayList<>();

		private final List<String> allowRead = new ArrayList<>();

		private final List<String> denyWrite = new ArrayList<>();

		private final List<String> allowedDomains = new ArrayList<>();

		private final List<String> allowUnixSockets = new ArrayList<>();

		private final List<String> applicationFiles = new ArrayList<>();

		private boolean hostNetwork;

		Settings allowWrite(String... paths) {
			this.allowWrite.addAll(List.of(paths));
			return this;
		}

		Settings allowRead(String... paths) {
			this.allowRead.addAll(List.of(paths));
			return this;
		}

		Settings allowedDomains(String... domains) {
			this.allowedDomains.clear();
			this.allowedDomains.addAll(List.of(domains));
			return this;
		}

		Settings denyWrite(String... paths) {
			this.denyWrite.addAll(List.of(paths));
			return this;
		}

		Settings allowUnixSockets(String... paths) {
			this.allowUnixSockets.addAll(List.of(paths));
			return this;
		}

		Settings applicationFiles(String... paths) {
			this.applicationFiles.addAll(List.of(paths));
			return this;
		}

		Settings hostNetwork() {
			this.hostNetwork = true;
			return this;
		}

		SandboxSettings build() {
			return new SandboxSettings(true, SandboxSettings.OnUnavailable.FAIL, this.allowWrite, List.of(),
					this.allowRead, this.denyWrite, this.allowedDomains, List.of(), this.allowUnixSockets,
					this.hostNetwork, SandboxSettings.DEFAULT_MAX_PROXY_CONNECTIONS, this.applicationFiles);
		}

	}

}
