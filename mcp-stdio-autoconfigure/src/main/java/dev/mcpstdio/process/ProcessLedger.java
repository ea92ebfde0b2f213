package dev.mcpstdio.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A file per JVM that lists the children it runs (pid and start time). A JVM that dies
 * without stopping them leaves its file behind; the next launcher to start reaps what is
 * left of those children, never a process that merely reuses a recorded pid (start times
 * must match).
 */
final class ProcessLedger {

	private static final Logger logger = LoggerFactory.getLogger(ProcessLedger.class);

	private static final String SUFFIX = ".ledger";

	private final Path directory;

	private final Path file;

	private final Map<Long, Long> entries = new LinkedHashMap<>();

	ProcessLedger(Path directory, ProcessHandle owner) {
		this.directory = directory;
		this.file = directory.resolve(fileName(owner));
	}

	/** Kills what is left of the children of JVMs that died, and removes their files. */
	synchronized int reapOrphans() {
		int reaped = 0;
		if (!Files.isDirectory(this.directory)) {
			return reaped;
		}
		try (DirectoryStream<Path> files = Files.newDirectoryStream(this.directory, "*" + SUFFIX)) {
			for (Path other : files) {
				if (!other.equals(this.file) && !ownerAlive(other)) {
					reaped += reap(other);
				}
			}
		}
		catch (IOException ex) {
			logger.warn("Could not read the mcp-stdio ledger in {}", this.directory, ex);
		}
		return reaped;
	}

	synchronized void add(long pid, Instant startTime) {
		this.entries.put(pid, startTime.toEpochMilli());
		write();
	}

	synchronized void remove(long pid) {
		if (this.entries.remove(pid) != null) {
			write();
		}
	}

	Path file() {
		return this.file;
	}

	private void write() {
		try {
			if (this.entries.isEmpty()) {
				Files.deleteIfExists(this.file);
				return;
			}
			Files.createDirectories(this.directory);
			List<String> lines = new ArrayList<>();
			this.entries.forEach((pid, start) -> lines.add(pid + " " + start));
			Path temp = Files.createTempFile(this.directory, "write", ".tmp");
			Files.write(temp, lines, StandardCharsets.US_ASCII);
			Files.move(temp, this.file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
		}
		catch (IOException ex) {
			logger.warn("Could not write the mcp-stdio ledger {}", this.file, ex);
		}
	}

	private static int reap(Path ledger) {
		int reaped = 0;
		try {
			for (String line : Files.readAllLines(ledger, StandardCharsets.US_ASCII)) {
				String[] parts = line.trim().split(" ");
				if (parts.length == 2) {
					reaped += reap(Long.parseLong(parts[0]), Long.parseLong(parts[1]));
				}
			}
			Files.deleteIfExists(ledger);
		}
		catch (NoSuchFileException ex) {
			// another JVM reaped it first
		}
		catch (IOException | NumberFormatException ex) {
			logger.warn("Could not reap the children listed in the mcp-stdio ledger {}", ledger, ex);
		}
		return reaped;
	}

	private static int reap(long pid, long startMillis) {
		Optional<ProcessHandle> withPid = ProcessHandle.of(pid);
		Optional<ProcessHandle> child = withPid.filter((handle) -> startedAt(handle, startMillis));
		Set<ProcessHandle> tree = new LinkedHashSet<>();
		child.ifPresent(tree::add);
		if (withPid.isEmpty() || child.isPresent()) {
			// children run as group leaders: orphaned members of the group started after the child.
			// Never when the pid now belongs to another process, which may lead a group of its own.
			ProcessTree.groupMembers(pid)
				.stream()
				.filter((member) -> startedSince(member, startMillis))
				.forEach(tree::add);
		}
		Set<ProcessHandle> running = ProcessTree.alive(ProcessTree.collect(tree, -1));
		if (!running.isEmpty()) {
			logger.warn("Killing {} process(es) left by a JVM that died without stopping its MCP server (pid {})",
					running.size(), pid);
			running.forEach(ProcessHandle::destroyForcibly);
		}
		return running.size();
	}

	private static boolean ownerAlive(Path ledger) {
		String name = ledger.getFileName().toString();
		String[] parts = name.substring(0, name.length() - SUFFIX.length()).split("-");
		try {
			long pid = Long.parseLong(parts[0]);
			long start = Long.parseLong(parts[1]);
			return ProcessHandle.of(pid).filter((handle) -> startedAt(handle, start)).isPresent();
		}
		catch (RuntimeException ex) {
			return true; // not one of ours: leave it alone
		}
	}

	private static boolean startedAt(ProcessHandle handle, long startMillis) {
		return handle.info().startInstant().map((start) -> start.toEpochMilli() == startMillis).orElse(false);
	}

	private static boolean startedSince(ProcessHandle handle, long startMillis) {
		return handle.info().startInstant().map((start) -> start.toEpochMilli() >= startMillis).orElse(false);
	}

	static String fileName(ProcessHandle owner) {
		long start = owner.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
		return owner.pid() + "-" + start + SUFFIX;
	}

}
