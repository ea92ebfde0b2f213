package dev.mcpstdio.process.platform;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Finds the processes that belong to a child: its descendants, and on Linux every member
 * of its process group (which catches a grandchild that was orphaned when its parent
 * exited).
 */
public final class ProcessTree {

	private static final Path PROC = Path.of("/proc");

	private ProcessTree() {
	}

	/**
	 * Collects the given processes, their live descendants and, when {@code groupId} is
	 * positive, the live members of that process group.
	 */
	public static Set<ProcessHandle> collect(Collection<ProcessHandle> roots, long groupId) {
		Set<ProcessHandle> tree = new LinkedHashSet<>();
		for (ProcessHandle root : roots) {
			if (tree.add(root) && root.isAlive()) {
				root.descendants().forEach(tree::add);
			}
		}
		if (groupId > 0) {
			for (ProcessHandle member : groupMembers(groupId)) {
				if (tree.add(member)) {
					member.descendants().forEach(tree::add);
				}
			}
		}
		return tree;
	}

	/** The processes of the set that have not yet exited (zombies count as exited). */
	public static Set<ProcessHandle> alive(Collection<ProcessHandle> handles) {
		return handles.stream().filter(ProcessTree::isRunning).collect(Collectors.toCollection(LinkedHashSet::new));
	}

	/**
	 * Whether a process still runs: alive and, on Linux, not a zombie waiting to be
	 * reaped by its parent.
	 * @param handle the process
	 * @return whether it runs
	 */
	public static boolean isRunning(ProcessHandle handle) {
		if (!handle.isAlive()) {
			return false;
		}
		return !Platform.isLinux() || stat(handle.pid()).map((stat) -> !stat.zombie()).orElse(false);
	}

	/** The live members of a process group, read from /proc on Linux; none elsewhere. */
	public static Set<ProcessHandle> groupMembers(long groupId) {
		Set<ProcessHandle> members = new LinkedHashSet<>();
		if (!Platform.isLinux() || !Files.isDirectory(PROC)) {
			return members;
		}
		try (DirectoryStream<Path> entries = Files.newDirectoryStream(PROC, "[0-9]*")) {
			for (Path entry : entries) {
				long pid = Long.parseLong(entry.getFileName().toString());
				stat(pid).filter((stat) -> stat.groupId() == groupId && !stat.zombie())
					.flatMap((stat) -> ProcessHandle.of(pid))
					.ifPresent(members::add);
			}
		}
		catch (IOException | RuntimeException ex) {
			// /proc changes under us; what could be read is what there is
		}
		return members;
	}

	/**
	 * The children of a process that have exited and wait to be reaped, read from /proc
	 * on Linux; none elsewhere.
	 * @param parent the parent's pid
	 * @return each zombie's pid and start time (in clock ticks after boot), which tell
	 * one zombie from a later process with the same pid
	 */
	public static Map<Long, Long> zombieChildren(long parent) {
		Map<Long, Long> zombies = new LinkedHashMap<>();
		if (!Platform.isLinux() || !Files.isDirectory(PROC)) {
			return zombies;
		}
		try (DirectoryStream<Path> entries = Files.newDirectoryStream(PROC, "[0-9]*")) {
			for (Path entry : entries) {
				long pid = Long.parseLong(entry.getFileName().toString());
				stat(pid).filter((stat) -> stat.parentId() == parent && stat.zombie())
					.ifPresent((stat) -> zombies.put(pid, stat.startTime()));
			}
		}
		catch (IOException | RuntimeException ex) {
			// /proc changes under us; what could be read is what there is
		}
		return zombies;
	}

	/**
	 * Whether {@link #environmentHolds} can read the environments of processes (Linux).
	 */
	public static boolean environmentsReadable() {
		return Platform.isLinux() && Files.isDirectory(PROC);
	}

	/**
	 * Whether the environment a process runs with holds an entry ({@code NAME=value}).
	 * False where it cannot be read: another user's process, or no /proc.
	 */
	public static boolean environmentHolds(long pid, String entry) {
		try {
			byte[] environment = Files.readAllBytes(PROC.resolve(Long.toString(pid)).resolve("environ"));
			for (String variable : new String(environment, StandardCharsets.UTF_8).split("\0")) {
				if (variable.equals(entry)) {
					return true;
				}
			}
			return false;
		}
		catch (IOException | RuntimeException ex) {
			return false;
		}
	}

	public static Optional<Stat> stat(long pid) {
		try {
			String text = Files.readString(PROC.resolve(Long.toString(pid)).resolve("stat"), StandardCharsets.UTF_8);
			// the command name may hold spaces and parentheses: fields start after the
			// last ')'
			String[] fields = text.substring(text.lastIndexOf(')') + 2).split(" ");
			return Optional.of(new Stat(fields[0].charAt(0), Long.parseLong(fields[1]), Long.parseLong(fields[2]),
					Long.parseLong(fields[19])));
		}
		catch (IOException | RuntimeException ex) {
			return Optional.empty();
		}
	}

	/**
	 * What /proc/[pid]/stat tells of a process.
	 *
	 * @param state its state letter ({@code R}, {@code S}, {@code Z}, ...)
	 * @param parentId its parent's pid
	 * @param groupId its process group
	 * @param startTime when it started, in clock ticks after boot
	 */
	public record Stat(char state, long parentId, long groupId, long startTime) {

		public boolean zombie() {
			return this.state == 'Z' || this.state == 'X';
		}

	}

}
