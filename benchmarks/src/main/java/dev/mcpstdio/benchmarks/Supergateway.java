package dev.mcpstdio.benchmarks;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * supergateway 4.0.0 (the npm package), run as
 * {@code supergateway --stdio "<server command>" --outputTransport streamableHttp --stateful --port P --logLevel none}
 * in a process group of its own, for rows 20-22. It has no option for the address it
 * listens on (it listens on every interface), so {@code supergateway-loopback.mjs} is
 * preloaded to make it listen on 127.0.0.1 only. Installed by {@code setup-supergateway}
 * into {@code ${TMPDIR:-/tmp}/mcp-stdio-supergateway}. Every process it starts carries a
 * mark on its command line, so that what it leaves behind is found, counted and killed.
 */
final class Supergateway implements AutoCloseable {

	static final String VERSION = "4.0.0";

	private static final Duration READY = Duration.ofSeconds(30);

	/** supergateway's own stop waits up to 5 s for its children, then SIGKILLs them. */
	private static final Duration EXIT = Duration.ofSeconds(10);

	private static String installed;

	private static String notInstalled;

	private final Process process;

	private final String mark;

	private final int port;

	private final Path log;

	private Supergateway(Process process, String mark, int port, Path log) {
		this.process = process;
		this.mark = mark;
		this.port = port;
		this.log = log;
	}

	/**
	 * Installs supergateway once per JVM with {@code setup-supergateway}.
	 * @return the path of its entry point
	 * @throws IOException if it cannot be installed, with why
	 */
	static synchronized String install() throws IOException {
		if (installed != null) {
			return installed;
		}
		if (notInstalled != null) {
			throw new IOException(notInstalled);
		}
		try {
			installed = runSetup();
			return installed;
		}
		catch (IOException ex) {
			notInstalled = ex.getMessage();
			throw ex;
		}
	}

	private static String runSetup() throws IOException {
		Path script = Path.of("setup-supergateway");
		if (!Files.exists(script)) {
			script = Path.of("benchmarks", "setup-supergateway");
		}
		Path output = Files.createTempFile("setup-supergateway", ".log");
		try {
			Process setup = new ProcessBuilder("bash", script.toString()).redirectErrorStream(true)
				.redirectOutput(output.toFile())
				.start();
			setup.getOutputStream().close();
			if (!setup.waitFor(5, TimeUnit.MINUTES)) {
				setup.destroyForcibly();
				throw new IOException("setup-supergateway did not finish in 5 minutes");
			}
			List<String> lines = Files.readAllLines(output, StandardCharsets.UTF_8);
			String last = lines.isEmpty() ? "" : lines.get(lines.size() - 1).trim();
			if (setup.exitValue() != 0 || !Files.isRegularFile(Path.of(last))) {
				String why = lines.stream().filter((line) -> line.contains("error")).findFirst().orElse(last);
				throw new IOException("setup-supergateway failed (exit " + setup.exitValue() + "): " + why);
			}
			return last;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IOException("interrupted", ex);
		}
		finally {
			Files.deleteIfExists(output);
		}
	}

	/**
	 * Starts supergateway in front of a stdio server, and waits until it listens.
	 * @param server the server's command line, which must carry the mark
	 * @param mark a string on the command line of every process it starts
	 */
	static Supergateway start(List<String> server, String mark) throws IOException, InterruptedException {
		String entry = install();
		Path preload = Path.of("supergateway-loopback.mjs");
		if (!Files.exists(preload)) {
			preload = Path.of("benchmarks", "supergateway-loopback.mjs");
		}
		int port = freePort();
		String stdio = server.stream().map(Supergateway::quote).collect(Collectors.joining(" "));
		List<String> command = new ArrayList<>(List.of("setsid", "node", "--import",
				preload.toAbsolutePath().toUri().toString(), entry, "--stdio", stdio, "--outputTransport",
				"streamableHttp", "--stateful", "--port", Integer.toString(port), "--logLevel", "none"));
		Path log = Files.createTempFile("supergateway", ".log");
		// stdin stays open: supergateway stops when its stdin closes
		Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
		Supergateway gateway = new Supergateway(process, mark, port, log);
		long deadline = System.nanoTime() + READY.toNanos();
		while (!gateway.listening()) {
			if (!process.isAlive() || System.nanoTime() > deadline) {
				String output = Files.readString(log);
				gateway.close();
				throw new IOException("supergateway did not start listening on " + port + ": " + output);
			}
			Thread.sleep(20);
		}
		return gateway;
	}

	URI uri() {
		return URI.create("http://127.0.0.1:" + this.port + "/mcp");
	}

	private boolean listening() {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), this.port), 200);
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	/** The running processes it started (the servers' and their shells). */
	List<ProcessHandle> children() {
		return marked(this.mark, this.process.pid());
	}

	/** Running processes with the mark on their command line, but for one pid. */
	static List<ProcessHandle> marked(String mark, long except) {
		return ProcessHandle.allProcesses()
			.filter((process) -> process.pid() != except)
			.filter((process) -> process.isAlive())
			.filter((process) -> commandLine(process).contains(mark))
			.toList();
	}

	/**
	 * A process's command line, its arguments joined by spaces: from
	 * {@code /proc/PID/cmdline} where there is one, since
	 * {@code ProcessHandle.Info.arguments()} gives none for a command line over about 4
	 * KB (JDK 17 on Linux), which a JVM with a long class path has; empty where the
	 * process is gone.
	 */
	static String commandLine(ProcessHandle process) {
		Path cmdline = Path.of("/proc", Long.toString(process.pid()), "cmdline");
		if (Files.isDirectory(cmdline.getParent())) {
			try {
				return new String(Files.readAllBytes(cmdline), StandardCharsets.UTF_8).replace('\0', ' ');
			}
			catch (IOException ex) {
				return "";
			}
		}
		return process.info().arguments().map((args) -> String.join(" ", args)).orElse("");
	}

	/**
	 * Stops supergateway as its own stop would be asked for: SIGTERM to its process group
	 * (its children are in groups of their own), then waits for its exit, and for what it
	 * started to go.
	 * @return the processes it left behind: alive after its exit and a grace second,
	 * which are then killed (their process groups, then themselves)
	 */
	int stop() throws IOException, InterruptedException {
		signalGroup("TERM", this.process.pid());
		if (!this.process.waitFor(EXIT.toMillis(), TimeUnit.MILLISECONDS)) {
			signalGroup("KILL", this.process.pid());
			this.process.waitFor(EXIT.toMillis(), TimeUnit.MILLISECONDS);
		}
		long deadline = System.nanoTime() + Duration.ofSeconds(1).toNanos();
		List<ProcessHandle> left = marked(this.mark, -1);
		while (!left.isEmpty() && System.nanoTime() < deadline) {
			Thread.sleep(50);
			left = marked(this.mark, -1);
		}
		for (ProcessHandle process : left) {
			signalGroup("KILL", process.pid());
			process.destroyForcibly();
		}
		for (ProcessHandle process : left) {
			process.onExit().completeOnTimeout(null, 5, TimeUnit.SECONDS).join();
		}
		Files.deleteIfExists(this.log);
		return left.size();
	}

	@Override
	public void close() throws IOException, InterruptedException {
		if (this.process.isAlive()) {
			stop();
		}
		Files.deleteIfExists(this.log);
	}

	private static void signalGroup(String signal, long pgid) throws IOException, InterruptedException {
		new ProcessBuilder("kill", "-" + signal, "--", "-" + pgid).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.DISCARD)
			.start()
			.waitFor();
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

	/** A word for {@code sh -c}, in single quotes where it needs them. */
	private static String quote(String word) {
		return word.matches("[A-Za-z0-9_@%+=:,./-]+") ? word : "'" + word.replace("'", "'\\''") + "'";
	}

}
