package dev.mcpstdio.benchmarks;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Debian's nginx in front of gateway instances of this JVM, configured by the file the
 * sample's test runs and docs/gateway.md shows ({@link #CONFIG}: instances on 8081 and
 * 8082, nginx on 8080), its ports replaced by the benchmarks' own, as the sample's
 * {@code NginxProxy} does: a child process ({@code daemon off}) with a wrapper
 * {@code nginx.conf} in a directory of its own (one worker, no access log), which
 * {@link #close()} stops and deletes.
 */
final class Nginx implements AutoCloseable {

	/** The tested configuration, from the benchmarks' directory or the repository's. */
	private static final List<Path> CONFIG = List.of(
			Path.of("..", "sample-app", "src", "test", "resources", "nginx", "mcp-gateway.conf"),
			Path.of("sample-app", "src", "test", "resources", "nginx", "mcp-gateway.conf"));

	private final Process process;

	private final Path directory;

	private final int port;

	private Nginx(Process process, Path directory, int port) {
		this.process = process;
		this.directory = directory;
		this.port = port;
	}

	/**
	 * Why nginx cannot be measured here (no nginx, or the configuration not found), or
	 * null where it can.
	 */
	static String unavailable() {
		if (executable() == null) {
			return "no nginx on this machine (/usr/sbin/nginx or PATH)";
		}
		if (config() == null) {
			return "sample-app/src/test/resources/nginx/mcp-gateway.conf not found";
		}
		return null;
	}

	private static Path executable() {
		Stream<Path> candidates = Stream.concat(Stream.of(Path.of("/usr/sbin/nginx")),
				Stream.of(System.getenv().getOrDefault("PATH", "").split(":")).map((dir) -> Path.of(dir, "nginx")));
		return candidates.filter(Files::isExecutable).findFirst().orElse(null);
	}

	private static Path config() {
		return CONFIG.stream().filter(Files::isReadable).findFirst().orElse(null);
	}

	/**
	 * Starts nginx in front of two instances, with the tested configuration as it is.
	 */
	static Nginx start(int first, int second) throws IOException, InterruptedException {
		return start(site(Files.readString(config()), first, second));
	}

	/**
	 * Starts nginx in front of one instance: the tested configuration without the second
	 * instance (its map entry, its upstream, and its server in the others), so that no
	 * request is ever passed to an instance that is not there.
	 */
	static Nginx startOne(int first) throws IOException, InterruptedException {
		String config = Files.readString(config());
		String one = config.replaceAll("(?m)^.*mcp_gateway_1;\\R", "")
			.replaceAll("(?s)upstream mcp_gateway_1 \\{[^}]*\\}\\R*", "")
			.replaceAll("(?m)^.*127\\.0\\.0\\.1:8082.*\\R", "");
		if (one.contains("8082") || one.contains("mcp_gateway_1") || !one.contains("mcp_gateway_0")) {
			throw new IllegalStateException("the nginx configuration's shape changed: cannot remove the second"
					+ " instance from it for the one-instance case");
		}
		return start(site(one, first, first));
	}

	private static String site(String config, int first, int second) throws IOException {
		int port = freePort();
		return config.replace("127.0.0.1:8080", "127.0.0.1:{proxy}")
			.replace("127.0.0.1:8081", "127.0.0.1:{first}")
			.replace("127.0.0.1:8082", "127.0.0.1:{second}")
			.replace("{proxy}", Integer.toString(port))
			.replace("{first}", Integer.toString(first))
			.replace("{second}", Integer.toString(second));
	}

	private static Nginx start(String site) throws IOException, InterruptedException {
		int port = Integer.parseInt(site.replaceAll("(?s).*listen 127\\.0\\.0\\.1:(\\d+);.*", "$1"));
		Path directory = Files.createTempDirectory("mcp-stdio-benchmarks-nginx");
		// the workers run as nobody
		Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));
		Files.writeString(directory.resolve("mcp-gateway.conf"), site);
		Files.writeString(directory.resolve("nginx.conf"),
				String.join("\n", "daemon off;", "worker_processes 1;", "pid " + directory.resolve("nginx.pid") + ";",
						"error_log " + directory.resolve("error.log") + " warn;", "events { worker_connections 1024; }",
						"http {", "  access_log off;", "  client_body_temp_path " + directory.resolve("body") + ";",
						"  proxy_temp_path " + directory.resolve("proxy") + ";",
						"  include " + directory.resolve("mcp-gateway.conf") + ";", "}", ""));
		Process process = new ProcessBuilder(executable().toString(), "-p", directory.toString(), "-e",
				directory.resolve("error.log").toString(), "-c", directory.resolve("nginx.conf").toString())
			.redirectErrorStream(true)
			.redirectOutput(directory.resolve("nginx.out").toFile())
			.start();
		Nginx nginx = new Nginx(process, directory, port);
		long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
		while (!listening(port)) {
			if (!process.isAlive() || System.nanoTime() > deadline) {
				String out = Files.readString(directory.resolve("nginx.out"));
				nginx.close();
				throw new IOException("nginx did not start: " + out.strip());
			}
			Thread.sleep(20);
		}
		return nginx;
	}

	private static boolean listening(int port) {
		try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

	int port() {
		return this.port;
	}

	/** nginx's master and its workers. */
	List<ProcessHandle> processes() {
		return Stream.concat(Stream.of(this.process.toHandle()), this.process.descendants()).toList();
	}

	/**
	 * Stops nginx (SIGTERM: its fast shutdown; SIGKILL after 10 s) and deletes its
	 * directory.
	 */
	@Override
	public void close() throws IOException, InterruptedException {
		List<ProcessHandle> processes = processes();
		this.process.destroy();
		if (!this.process.waitFor(10, TimeUnit.SECONDS)) {
			processes.forEach(ProcessHandle::destroyForcibly);
			this.process.destroyForcibly().waitFor();
		}
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		while (processes.stream().anyMatch(ProcessHandle::isAlive) && System.nanoTime() < deadline) {
			Thread.sleep(10);
		}
		try (Stream<Path> files = Files.walk(this.directory)) {
			for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
				Files.deleteIfExists(file);
			}
		}
	}

}
