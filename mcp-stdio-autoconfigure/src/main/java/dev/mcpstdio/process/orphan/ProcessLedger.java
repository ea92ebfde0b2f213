package dev.mcpstdio.process.orphan;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.mcpstdio.process.platform.ProcessTree;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A file per JVM that lists the children it runs. A JVM that dies without stopping them
 * leaves its file behind; the next launcher to start reaps what is left of those
 * children. The ledger is only kept in a directory that no other user can write, and an
 * entry is acted on only while it still names the same process: same pid and start time,
 * and (on Linux) an environment that holds this ledger's random token, which every child
 * and its descendants inherit, or (elsewhere) the same executable.
 */
final class ProcessLedger {

	/** The environment variable that carries the ledger's token to every child. */
	static final String TOKEN_VARIABLE = "MCP_STDIO_LEDGER";

	private static final Logger logger = LoggerFactory.getLogger(ProcessLedger.class);

	private static final String SUFFIX = ".ledger";

	private static final String HEADER = "mcp-stdio-ledger 2 ";

	private static final String BY_ENVIRONMENT = "env";

	private static final String FIX = "Only a directory (and files) that is not a symbolic link, is owned by the"
			+ " application's user and is writable by nobody else is used, so that another local user cannot make the"
			+ " application kill processes: remove what is named (as its owner or root) and mcp-stdio creates the"
			+ " directory again, mode 0700.";

	private final PrivateFiles privateFiles;

	private final Path directory;

	private final Path file;

	private final String token;

	private final Map<Long, String> entries = new LinkedHashMap<>();

	private final Set<Path> refused = new HashSet<>();

	ProcessLedger(PrivateFiles privateFiles, Path directory, ProcessHandle owner) {
		this.privateFiles = privateFiles;
		this.directory = directory;
		this.file = directory.resolve(fileName(owner));
		this.token = randomToken();
	}

	/**
	 * Opens the ledger in the first of the directories that is private (creating it where
	 * missing), with one WARN for the directories it passed over.
	 * @param candidates where the ledger may live, the preferred first
	 * @param owner the JVM whose children the ledger lists
	 * @return the ledger, or empty (reaping is off) where no directory is private
	 */
	static Optional<ProcessLedger> open(List<Path> candidates, ProcessHandle owner) {
		if (candidates.isEmpty()) {
			return Optional.empty();
		}
		Optional<PrivateFiles> privateFiles = PrivateFiles.forCurrentUser();
		if (privateFiles.isEmpty()) {
			logger.warn("mcp-stdio cannot tell which user it runs as, so it keeps no ledger: processes left by a JVM"
					+ " killed outright are not reaped at the next start. Check the user.name system property.");
			return Optional.empty();
		}
		List<String> refusals = new ArrayList<>();
		for (Path candidate : candidates) {
			Optional<String> problem = privateFiles.get().prepareDirectory(candidate);
			if (problem.isEmpty()) {
				if (!refusals.isEmpty()) {
					logger.warn("mcp-stdio does not use {} for its ledger of child processes; it uses {} instead. {}",
							String.join("; ", refusals), candidate, FIX);
				}
				return Optional.of(new ProcessLedger(privateFiles.get(), candidate, owner));
			}
			refusals.add(candidate + " (" + problem.get() + ")");
		}
		logger.warn(
				"mcp-stdio found no private directory for its ledger of child processes: {}. Processes left by a"
						+ " JVM killed outright are not reaped at the next start. {}",
				String.join("; ", refusals), FIX);
		return Optional.empty();
	}

	/**
	 * The value of {@link #TOKEN_VARIABLE} in the environment of this ledger's children.
	 */
	String token() {
		return this.token;
	}

	Path file() {
		return this.file;
	}

	/** Kills what is left of the children of JVMs that died, and removes their files. */
	synchronized int reapOrphans() {
		Optional<String> problem = this.privateFiles.prepareDirectory(this.directory);
		if (problem.isPresent()) {
			warnOnce(this.directory, "mcp-stdio no longer reads its ledger directory {}: {}. {}", problem.get());
			return 0;
		}
		int reaped = 0;
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

	synchronized void add(ProcessHandle child, Instant startTime) {
		String identity = ProcessTree.environmentsReadable() ? BY_ENVIRONMENT : commandHash(child);
		this.entries.put(child.pid(), startTime.toEpochMilli() + " " + identity);
		write();
	}

	synchronized void remove(long pid) {
		if (this.entries.remove(pid) != null) {
			write();
		}
	}

	private void write() {
		try {
			if (this.entries.isEmpty()) {
				Files.deleteIfExists(this.file);
				return;
			}
			List<String> lines = new ArrayList<>();
			lines.add(HEADER + this.token);
			this.entries.forEach((pid, entry) -> lines.add(pid + " " + entry));
			Path temp = Files.createTempFile(this.directory, "write", ".tmp");
			Files.write(temp, lines, StandardCharsets.US_ASCII);
			Files.move(temp, this.file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
		}
		catch (IOException ex) {
			logger.warn("Could not write the mcp-stdio ledger {}", this.file, ex);
		}
	}

	private int reap(Path ledger) {
		Optional<String> problem = this.privateFiles.checkFile(ledger);
		if (problem.isPresent()) {
			warnOnce(ledger, "mcp-stdio ignores the ledger file {}: {}. {}", problem.get());
			return 0;
		}
		int reaped = 0;
		try {
			List<String> lines = Files.readAllLines(ledger, StandardCharsets.US_ASCII);
			if (!lines.isEmpty() && lines.get(0).startsWith(HEADER)) {
				String mark = TOKEN_VARIABLE + "=" + lines.get(0).substring(HEADER.length()).trim();
				for (String line : lines.subList(1, lines.size())) {
					String[] parts = line.trim().split(" ");
					if (parts.length == 3) {
						reaped += reap(Long.parseLong(parts[0]), Long.parseLong(parts[1]), parts[2], mark);
					}
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

	private static int reap(long pid, long startMillis, String identity, String mark) {
		Set<ProcessHandle> tree = new LinkedHashSet<>();
		ProcessHandle.of(pid)
			.filter((handle) -> startedAt(handle, startMillis) && sameProcess(handle, identity, mark))
			.ifPresent(tree::add);
		// children run as group leaders: orphaned members of the group, where they carry
		// the mark
		ProcessTree.groupMembers(pid)
			.stream()
			.filter((member) -> startedSince(member, startMillis))
			.filter((member) -> ProcessTree.environmentHolds(member.pid(), mark))
			.forEach(tree::add);
		Set<ProcessHandle> running = ProcessTree.alive(ProcessTree.collect(tree, -1));
		if (!running.isEmpty()) {
			logger.warn("Killing {} process(es) left by a JVM that died without stopping its MCP server (pid {})",
					running.size(), pid);
			running.forEach(ProcessHandle::destroyForcibly);
		}
		return running.size();
	}

	private static boolean sameProcess(ProcessHandle handle, String identity, String mark) {
		return identity.equals(BY_ENVIRONMENT) ? ProcessTree.environmentHolds(handle.pid(), mark)
				: identity.equals(commandHash(handle));
	}

	private void warnOnce(Path path, String message, String problem) {
		if (this.refused.add(path)) {
			logger.warn(message, path, problem, FIX);
		}
	}

	static String randomToken() {
		byte[] bytes = new byte[16];
		new SecureRandom().nextBytes(bytes);
		return HexFormat.of().formatHex(bytes);
	}

	private static String commandHash(ProcessHandle handle) {
		try {
			byte[] command = handle.info().command().orElse("").getBytes(StandardCharsets.UTF_8);
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(command));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
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
