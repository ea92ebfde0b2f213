package dev.mcpstdio.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import dev.mcpstdio.process.platform.Platform;
import dev.mcpstdio.process.platform.ProcessTree;

/**
 * What the operating system tells of a running process.
 *
 * @param pid its pid
 * @param cpuTime the CPU time it used, zero when unknown
 * @param residentBytes its resident memory in bytes, -1 when unknown (Linux only)
 * @param threads its thread count, -1 when unknown (Linux only)
 */
public record ProcessFigures(long pid, Duration cpuTime, long residentBytes, int threads) {

	/**
	 * Reads the figures of a process.
	 * @param pid the process
	 * @return its figures, or empty when it does not run
	 */
	public static Optional<ProcessFigures> of(long pid) {
		return ProcessHandle.of(pid).filter(ProcessTree::isRunning).map(ProcessFigures::of);
	}

	private static ProcessFigures of(ProcessHandle handle) {
		Duration cpu = handle.info().totalCpuDuration().orElse(Duration.ZERO);
		long resident = -1;
		int threads = -1;
		if (Platform.isLinux()) {
			try {
				for (String line : Files.readAllLines(Path.of("/proc", Long.toString(handle.pid()), "status"),
						StandardCharsets.UTF_8)) {
					if (line.startsWith("VmRSS:")) {
						resident = Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
					}
					else if (line.startsWith("Threads:")) {
						threads = Integer.parseInt(line.replaceAll("[^0-9]", ""));
					}
				}
			}
			catch (IOException | RuntimeException ex) {
				// it exited meanwhile: what was read is what there is
			}
		}
		return new ProcessFigures(handle.pid(), cpu, resident, threads);
	}

	/**
	 * The pids of the process's running descendants, read when asked: finding them scans
	 * every process of the system.
	 * @return the pids, none when the process has exited
	 */
	public List<Long> descendants() {
		return ProcessHandle.of(this.pid)
			.map((handle) -> handle.descendants().filter(ProcessTree::isRunning).map(ProcessHandle::pid).toList())
			.orElse(List.of());
	}

}
