package dev.mcpstdio.sample;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;

import static org.awaitility.Awaitility.await;

/**
 * Debian's nginx in front of two instances of the sample, configured by the file that
 * {@code docs/gateway.md} shows ({@link #CONFIG}), its addresses replaced by the test's
 * ports. Its access log says which instance each request reached.
 */
final class NginxProxy implements AutoCloseable {

	/** The configuration the test runs and the docs show. */
	static final Path CONFIG = Path.of("src/test/resources/nginx/mcp-gateway.conf");

	private final Process process;

	private final Path directory;

	private final int port;

	private NginxProxy(Process process, Path directory, int port) {
		this.process = process;
		this.directory = directory;
		this.port = port;
	}

	/** The nginx on this machine, or null. */
	static @Nullable Path executable() {
		Stream<Path> candidates = Stream.concat(Stream.of(Path.of("/usr/sbin/nginx")),
				Stream.of(System.getenv().getOrDefault("PATH", "").split(":")).map((dir) -> Path.of(dir, "nginx")));
		return candidates.filter(Files::isExecutable).findFirst().orElse(null);
	}

	/**
	 * Starts nginx listening on the port, in front of the two instances' ports.
	 */
	static NginxProxy start(Path nginx, int port, int first, int second) throws Exception {
		Path directory = Files.createTempDirectory("mcp-gateway-nginx");
		// the workers run as nobody
		Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));
		String site = Files.readString(CONFIG)
			.replace("127.0.0.1:8080", "127.0.0.1:{proxy}")
			.replace("127.0.0.1:8081", "127.0.0.1:{first}")
			.replace("127.0.0.1:8082", "127.0.0.1:{second}")
			.replace("{proxy}", Integer.toString(port))
			.replace("{first}", Integer.toString(first))
			.replace("{second}", Integer.toString(second));
		Files.writeString(directory.resolve("mcp-gateway.conf"), site);
		Files.writeString(directory.resolve("nginx.conf"),
				String.join("\n", "daemon off;", "worker_processes 1;", "pid " + directory.resolve("nginx.pid") + ";",
						"error_log " + directory.resolve("error.log") + " info;", "events { worker_connections 1024; }",
						"http {",
						"  log_format owner '$status \"$http_mcp_session_id\" \"$upstream_addr\" $request_method';",
						"  access_log " + directory.resolve("access.log") + " owner;",
						"  client_body_temp_path " + directory.resolve("body") + ";",
						"  proxy_temp_path " + directory.resolve("proxy") + ";",
						"  include " + directory.resolve("mcp-gateway.conf") + ";", "}", ""));
		Process process = new ProcessBuilder(nginx.toString(), "-p", directory.toString(), "-e",
				directory.resolve("error.log").toString(), "-c", directory.resolve("nginx.conf").toString())
			.redirectErrorStream(true)
			.redirectOutput(directory.resolve("nginx.out").toFile())
			.start();
		NginxProxy proxy = new NginxProxy(process, directory, port);
		await().atMost(Duration.ofSeconds(20)).until(() -> {
			if (!process.isAlive()) {
				throw new AssertionError("nginx exited: " + Files.readString(directory.resolve("nginx.out"))
						+ Files.readString(directory.resolve("error.log")));
			}
			try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
				return true;
			}
			catch (IOException ex) {
				return false;
			}
		});
		return proxy;
	}

	int port() {
		return this.port;
	}

	/**
	 * The access log's lines: status, the Mcp-Session-Id in quotes ({@code "-"} for
	 * none), the upstream addresses tried in quotes, and the method.
	 */
	List<String> accessLog() throws IOException {
		return Files.readAllLines(this.directory.resolve("access.log"));
	}

	/** nginx's master and worker. */
	List<Long> pids() {
		return Stream.concat(Stream.of(this.process.toHandle()), this.process.descendants())
			.map(ProcessHandle::pid)
			.toList();
	}

	@Override
	public void close() throws Exception {
		this.process.destroy();
		if (!this.process.waitFor(10, TimeUnit.SECONDS)) {
			this.process.descendants().forEach(ProcessHandle::destroyForcibly);
			this.process.destroyForcibly().waitFor();
		}
		try (Stream<Path> files = Files.walk(this.directory)) {
			files.sorted(Comparator.reverseOrder()).forEach((file) -> file.toFile().delete());
		}
	}

}
