package dev.mcpstdio.process.container;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import dev.mcpstdio.process.platform.ProcessTree;

/**
 * The JVM that owns a container, as its labels name it: a scope (on Linux the boot, the
 * pid namespace and the user, elsewhere the host name) within which a pid means one
 * process that this JVM can see, and the pid and start of the JVM. An owner is dead only
 * when, within our own scope, no process has that pid and start; a container of another
 * scope, or with an owner that cannot be read or compared, is never taken for a dead
 * JVM's.
 *
 * @param scope where the pid is meaningful
 * @param pid the JVM's pid
 * @param start the JVM's start: {@code t<clock ticks after boot>} where {@code /proc}
 * tells it (a setting of the wall clock does not move it), else milliseconds since the
 * epoch; {@code 0} if unknown
 */
record ContainerOwner(String scope, long pid, String start) {

	/** The label that holds the scope. */
	static final String SCOPE_LABEL = "dev.mcpstdio.scope";

	/** The label that holds the owning JVM's pid and start time. */
	static final String OWNER_LABEL = "dev.mcpstdio.owner";

	/** The label that holds the server's name. */
	static final String SERVER_LABEL = "dev.mcpstdio.server";

	/** The owner this JVM is. */
	static ContainerOwner current() {
		return of(ProcessHandle.current());
	}

	static ContainerOwner of(ProcessHandle jvm) {
		return new ContainerOwner(currentScope(), jvm.pid(), ticks(jvm.pid()).orElseGet(() -> millis(jvm)));
	}

	/** A process's start in clock ticks after boot, as {@code t<ticks>}, where known. */
	private static Optional<String> ticks(long pid) {
		return ProcessTree.stat(pid).map((stat) -> "t" + stat.startTime());
	}

	/** A process's start in milliseconds since the epoch, {@code 0} if unknown. */
	private static String millis(ProcessHandle process) {
		return Long.toString(process.info().startInstant().map(Instant::toEpochMilli).orElse(0L));
	}

	/** The labels a container of the given server started by this owner carries. */
	Map<String, String> labels(String server) {
		Map<String, String> labels = new LinkedHashMap<>();
		labels.put(SCOPE_LABEL, this.scope);
		labels.put(OWNER_LABEL, ownerValue());
		labels.put(SERVER_LABEL, server);
		return labels;
	}

	/**
	 * Whether the scope tells hosts apart, so that containers of a shared engine can be
	 * judged by their owner's pid.
	 */
	boolean sweepable() {
		return !this.scope.equals("host/unknown");
	}

	String ownerValue() {
		return this.pid + "-" + this.start;
	}

	/**
	 * Whether an owner label's value names a JVM of our scope that no longer runs: false
	 * for a value that cannot be read, has no start, or a start that cannot be compared.
	 * @param ownerValue the value of {@link #OWNER_LABEL}
	 * @return whether the container it labels was left by a dead JVM
	 */
	static boolean isDead(String ownerValue) {
		String[] parts = ownerValue.trim().split("-");
		if (parts.length != 2) {
			return false;
		}
		long pid;
		try {
			pid = Long.parseLong(parts[0]);
			long start = Long.parseLong(parts[1].startsWith("t") ? parts[1].substring(1) : parts[1]);
			if (pid <= 0 || start <= 0) {
				return false;
			}
		}
		catch (NumberFormatException ex) {
			return false;
		}
		Optional<ProcessHandle> process = ProcessHandle.of(pid).filter(ProcessTree::isRunning);
		if (process.isEmpty()) {
			return true;
		}
		// a start we cannot read, or read otherwise than the label, is no other start
		Optional<String> ticks = ticks(pid);
		if (parts[1].startsWith("t")) {
			return ticks.map((current) -> !current.equals(parts[1])).orElse(false);
		}
		if (ticks.isPresent()) {
			// milliseconds move with the wall clock: not compared where ticks are known
			return false;
		}
		String millis = millis(process.get());
		return !millis.equals("0") && !millis.equals(parts[1]);
	}

	private static String currentScope() {
		Optional<String> boot = read(Path.of("/proc/sys/kernel/random/boot_id"));
		Optional<String> pidNamespace = namespace();
		Optional<String> user = user();
		if (boot.isPresent() && pidNamespace.isPresent() && user.isPresent()) {
			// the user too: where /proc hides other users' processes, their JVMs would
			// look dead
			return boot.get() + "/" + pidNamespace.get() + "/" + user.get();
		}
		String host = System.getenv("HOSTNAME");
		if (host == null || host.isBlank()) {
			host = System.getenv("COMPUTERNAME");
		}
		return "host/" + ((host != null && !host.isBlank()) ? host.trim() : "unknown");
	}

	/** The uid this JVM runs as, where {@code /proc} tells it. */
	private static Optional<String> user() {
		try {
			return Optional.of(String.valueOf(Files.getAttribute(Path.of("/proc/self"), "unix:uid")));
		}
		catch (IOException | UnsupportedOperationException | IllegalArgumentException | SecurityException ex) {
			return Optional.empty();
		}
	}

	private static Optional<String> namespace() {
		try {
			String link = Files.readSymbolicLink(Path.of("/proc/self/ns/pid")).toString();
			String digits = link.replaceAll("[^0-9]", "");
			return digits.isEmpty() ? Optional.empty() : Optional.of(digits);
		}
		catch (IOException | UnsupportedOperationException | SecurityException ex) {
			return Optional.empty();
		}
	}

	private static Optional<String> read(Path file) {
		try {
			String value = Files.readString(file, StandardCharsets.US_ASCII).trim();
			return value.isEmpty() ? Optional.empty() : Optional.of(value);
		}
		catch (IOException | RuntimeException ex) {
			return Optional.empty();
		}
	}

}
