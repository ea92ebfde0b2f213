package dev.mcpstdio.process.sandbox;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Limits of a server's process tree; 0 for no limit.
 *
 * @param memory bytes of memory (outside a container: the data segment, RLIMIT_DATA)
 * @param cpuTime CPU time
 * @param processes processes (outside a container: per user, RLIMIT_NPROC)
 * @param openFiles open files per process
 * @param fileSize bytes of the largest file it may write
 */
public record ResourceLimits(long memory, Duration cpuTime, long processes, long openFiles, long fileSize) {

	/** No limits. */
	public static final ResourceLimits NONE = new ResourceLimits(0, Duration.ZERO, 0, 0, 0);

	/** Whether any limit is set. */
	public boolean any() {
		return this.memory > 0 || this.cpuTime.compareTo(Duration.ZERO) > 0 || this.processes > 0 || this.openFiles > 0
				|| this.fileSize > 0;
	}

	/**
	 * {@code prlimit}'s options for these limits, soft and hard alike but for CPU time,
	 * whose hard limit is a second later: the kernel sends SIGXCPU at the soft one, which
	 * ends the process and tells the limit, where reaching both at once sends SIGKILL.
	 */
	List<String> prlimitOptions() {
		List<String> options = new ArrayList<>();
		if (this.memory > 0) {
			options.add("--data=" + this.memory);
		}
		if (this.cpuTime.compareTo(Duration.ZERO) > 0) {
			options.add("--cpu=" + cpuSeconds() + ":" + (cpuSeconds() + 1));
		}
		if (this.processes > 0) {
			options.add("--nproc=" + this.processes);
		}
		if (this.openFiles > 0) {
			options.add("--nofile=" + this.openFiles);
		}
		if (this.fileSize > 0) {
			options.add("--fsize=" + this.fileSize);
		}
		return options;
	}

	/** A container engine's run options for these limits. */
	List<String> runOptions() {
		List<String> options = new ArrayList<>();
		if (this.memory > 0) {
			options.add("--memory=" + this.memory + "b");
		}
		if (this.processes > 0) {
			options.add("--pids-limit=" + this.processes);
		}
		if (this.cpuTime.compareTo(Duration.ZERO) > 0) {
			options.add("--ulimit=cpu=" + cpuSeconds() + ":" + (cpuSeconds() + 1));
		}
		if (this.openFiles > 0) {
			options.add("--ulimit=nofile=" + this.openFiles + ":" + this.openFiles);
		}
		if (this.fileSize > 0) {
			options.add("--ulimit=fsize=" + this.fileSize + ":" + this.fileSize);
		}
		return options;
	}

	private long cpuSeconds() {
		// rlimits count whole seconds: a part of one is one more
		return Math.max(1, (this.cpuTime.toMillis() + 999) / 1000);
	}

	/** A number of bytes as a user writes it: 128MB, 1GB, 1500B. */
	static String bytes(long bytes) {
		String[] units = { "GB", "MB", "KB" };
		long[] sizes = { 1L << 30, 1L << 20, 1L << 10 };
		for (int i = 0; i < units.length; i++) {
			if (bytes % sizes[i] == 0) {
				return (bytes / sizes[i]) + units[i];
			}
		}
		return bytes + "B";
	}

}
