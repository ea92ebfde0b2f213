package dev.mcpstdio.process.sandbox;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Tells a process that ended for one of its limits from any other end, by its exit code
 * (the signal a limit sends) and what it wrote to stderr (how runtimes report a refused
 * allocation, file or fork).
 */
final class LimitBreach {

	private static final int SIGKILL = 128 + 9;

	private static final int SIGXCPU = 128 + 24;

	private static final int SIGXFSZ = 128 + 25;

	private static final Pattern MEMORY = Pattern.compile(
			"MemoryError|OutOfMemoryError|out of memory"
					+ "|Cannot allocate memory|Array buffer allocation failed|insufficient memory|std::bad_alloc"
					+ "|memory allocation .*failed|failed to allocate|Not enough space|commit_memory",
			Pattern.CASE_INSENSITIVE);

	private static final Pattern OPEN_FILES = Pattern.compile("Too many open files|EMFILE");

	private static final Pattern PROCESSES = Pattern
		.compile("Resource temporarily unavailable|EAGAIN|unable to create native thread|Cannot fork|fork failed");

	private static final Pattern FILE_SIZE = Pattern.compile("File too large|EFBIG");

	private LimitBreach() {
	}

	/**
	 * The limit a process that ended exceeded, as a property and its value.
	 * @param limits its limits
	 * @param container whether it ran in a container (whose engine kills for memory)
	 * @param exitCode its exit code
	 * @param stderrTail its last stderr lines
	 * @return {@code limits.memory (128MB)}, or empty where no limit explains the end
	 */
	static Optional<String> of(ResourceLimits limits, boolean container, int exitCode, List<String> stderrTail) {
		String stderr = String.join("\n", stderrTail);
		if (limits.memory() > 0 && (MEMORY.matcher(stderr).find() || (container && exitCode == SIGKILL))) {
			return Optional.of("limits.memory (" + ResourceLimits.bytes(limits.memory()) + ")");
		}
		if (limits.cpuTime().toMillis() > 0 && exitCode == SIGXCPU) {
			return Optional
				.of("limits.cpu-time (" + limits.cpuTime().toString().substring(2).toLowerCase(Locale.ROOT) + ")");
		}
		if (limits.fileSize() > 0 && (exitCode == SIGXFSZ || FILE_SIZE.matcher(stderr).find())) {
			return Optional.of("limits.file-size (" + ResourceLimits.bytes(limits.fileSize()) + ")");
		}
		if (limits.openFiles() > 0 && OPEN_FILES.matcher(stderr).find()) {
			return Optional.of("limits.open-files (" + limits.openFiles() + ")");
		}
		if (limits.processes() > 0 && PROCESSES.matcher(stderr).find()) {
			return Optional.of("limits.processes (" + limits.processes() + ")");
		}
		return Optional.empty();
	}

}
