package dev.mcpstdio.process.sandbox;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LimitBreachTests {

	private static final ResourceLimits ALL = new ResourceLimits(128L << 20, Duration.ofSeconds(10), 64, 32, 10L << 20);

	@Test
	void memoryErrorOfEachRuntimeIsTheMemoryLimit() {
		for (String line : List.of("MemoryError", "java.lang.OutOfMemoryError: Java heap space",
				"RangeError: Array buffer allocation failed",
				"FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory",
				"# There is insufficient memory for the Java Runtime Environment to continue.",
				"os::commit_memory(0x0, 520192, 0) failed; error='Not enough space' (errno=12)")) {
			assertThat(LimitBreach.of(ALL, false, 1, List.of("Traceback", line))).as(line)
				.contains("limits.memory (128MB)");
		}
	}

	@Test
	void memoryErrorWithoutAMemoryLimitIsNoLimit() {
		ResourceLimits noMemory = new ResourceLimits(0, Duration.ZERO, 0, 32, 0);
		assertThat(LimitBreach.of(noMemory, false, 1, List.of("MemoryError"))).isEmpty();
	}

	@Test
	void signalsOfCpuTimeAndFileSizeAreTheirLimits() {
		assertThat(LimitBreach.of(ALL, false, 128 + 24, List.of())).contains("limits.cpu-time (10s)");
		assertThat(LimitBreach.of(ALL, false, 128 + 25, List.of())).contains("limits.file-size (10MB)");
	}

	@Test
	void refusedFilesAndForksAreTheirLimits() {
		assertThat(LimitBreach.of(ALL, false, 1, List.of("OSError: [Errno 24] Too many open files")))
			.contains("limits.open-files (32)");
		assertThat(
				LimitBreach.of(ALL, false, 1, List.of("BlockingIOError: [Errno 11] Resource temporarily unavailable")))
			.contains("limits.processes (64)");
	}

	@Test
	void containerKilledWithAMemoryLimitIsTheMemoryLimitButAProcessOfTheHostIsNot() {
		assertThat(LimitBreach.of(ALL, true, 137, List.of())).contains("limits.memory (128MB)");
		assertThat(LimitBreach.of(ALL, false, 137, List.of())).isEmpty();
	}

	@Test
	void ordinaryExitIsNoLimit() {
		assertThat(LimitBreach.of(ALL, false, 3, List.of("last words"))).isEmpty();
		assertThat(LimitBreach.of(ResourceLimits.NONE, false, 128 + 24, List.of())).isEmpty();
	}

}
