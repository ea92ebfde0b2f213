package dev.mcpstdio.process;

import java.time.Duration;

/**
 * What a stop did.
 *
 * @param pid the child's pid
 * @param step the step at which the tree was gone
 * @param exitCode the child's exit code, or -1 when it could not be read
 * @param duration how long the stop took
 * @param survivors how many processes of the tree were still running at the end (0 unless
 * the operating system refused to kill them)
 */
public record StopReport(long pid, StopStep step, int exitCode, Duration duration, int survivors) {

}
