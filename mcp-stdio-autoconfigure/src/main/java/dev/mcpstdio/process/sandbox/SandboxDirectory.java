package dev.mcpstdio.process.sandbox;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host directory of one sandboxed launch: the seccomp filter its command loads and,
 * where the server has no working directory of its own, the private directory it works
 * in. Only the server's user may write the latter; the directory goes, recursively and
 * never following a link, when the launch ends.
 */
final class SandboxDirectory implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(SandboxDirectory.class);

	private static final String PREFIX = "mcp-stdio-sandbox-";

	/** This JVM, as the names of its sandbox directories carry it: pid and start time. */
	private static final String OWNER = ProcessHandle.current().pid() + "-"
			+ ProcessHandle.current().info().startInstant().map(Instant::toEpochMilli).orElse(0L);

	private final String server;

	private final Path root;

	private final Path filter;

	private final @Nullable Path work;

	private SandboxDirectory(String server, Path root, Path filter, @Nullable Path work) {
		this.server = server;
		this.root = root;
		this.filter = filter;
		this.work = work;
	}

	/**
	 * Makes the directory of a launch.
	 * @param server the server's name
	 * @param filter the seccomp program
	 * @param privateWork whether the server gets a private working directory in it
	 * @return the directory
	 * @throws IOException if it cannot be made
	 */
	static SandboxDirectory create(String server, byte[] filter, boolean privateWork) throws IOException {
		// others may pass through (the server's user opens the filter and works below
		// it),
		// not list: the names are random
		Path root = Files.createTempDirectory(PREFIX + OWNER + "-" + server.replaceAll("[^A-Za-z0-9_.-]", "_") + "-");
		try {
			Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwx--x--x"));
			Path filterFile = Files.write(root.resolve("seccomp.bpf"), filter);
			Files.setPosixFilePermissions(filterFile, PosixFilePermissions.fromString("r--r--r--"));
			Path work = null;
			if (privateWork) {
				work = Files.createDirectory(root.resolve("work"));
				Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwx------"));
				SandboxUser.own(work);
			}
			return new SandboxDirectory(server, root, filterFile, work);
		}
		catch (IOException | RuntimeException ex) {
			delete(root);
			throw ex;
		}
	}

	/**
	 * Removes the sandbox directories that JVMs which died outright (where nothing could
	 * remove them) left in a directory.
	 * @param temp the directory, {@code java.io.tmpdir}
	 * @return how many were removed
	 */
	static int reapStale(Path temp) {
		int reaped = 0;
		try (DirectoryStream<Path> entries = Files.newDirectoryStream(temp, PREFIX + "*")) {
			for (Path entry : entries) {
				if (ownerGone(entry.getFileName().toString()) && Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
					delete(entry);
					reaped++;
				}
			}
		}
		catch (IOException ex) {
			logger.debug("Could not remove the sandbox directories left in {}: {}", temp, ex.toString());
		}
		return reaped;
	}

	private static boolean ownerGone(String name) {
		String[] parts = name.substring(PREFIX.length()).split("-");
		try {
			long pid = Long.parseLong(parts[0]);
			long start = Long.parseLong(parts[1]);
			return ProcessHandle.of(pid)
				.flatMap((handle) -> handle.info().startInstant())
				.map((started) -> started.toEpochMilli() != start)
				.orElse(true);
		}
		catch (RuntimeException ex) {
			return false; // not named by a JVM of ours: left alone
		}
	}

	/**
	 * Makes the directory of the filtering proxy's socket in this one.
	 * @return the directory
	 * @throws IOException if it cannot be made
	 */
	Path proxyDirectory() throws IOException {
		return Files.createDirectory(this.root.resolve("proxy"));
	}

	/** The seccomp program's file. */
	Path filter() {
		return this.filter;
	}

	/** The private working directory, where the server has one. */
	@Nullable Path work() {
		return this.work;
	}

	/** Removes the directory, and whatever the server left in it. */
	@Override
	public void close() {
		try {
			delete(this.root);
		}
		catch (IOException ex) {
			logger.warn("Could not remove the sandbox directory {} of MCP server '{}': {}", this.root, this.server,
					ex.toString());
		}
	}

	/**
	 * Deletes a directory tree, links as links (never what they point to), opening
	 * directories the server closed to itself.
	 * @param root the tree
	 * @throws IOException if part of it cannot be deleted
	 */
	static void delete(Path root) throws IOException {
		if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
			return;
		}
		Files.walkFileTree(root, new SimpleFileVisitor<>() {

			@Override
			public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
				Files.deleteIfExists(file);
				return FileVisitResult.CONTINUE;
			}

			@Override
			public FileVisitResult visitFileFailed(Path file, IOException ex) throws IOException {
				if (ex instanceof NoSuchFileException) {
					return FileVisitResult.CONTINUE;
				}
				if (ex instanceof AccessDeniedException && Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS)) {
					// a directory the server closed to itself
					Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
					delete(file);
					return FileVisitResult.CONTINUE;
				}
				throw ex;
			}

			@Override
			public FileVisitResult postVisitDirectory(Path dir, @Nullable IOException ex) throws IOException {
				if (ex != null) {
					throw ex;
				}
				Files.deleteIfExists(dir);
				return FileVisitResult.CONTINUE;
			}

		});
	}

}
