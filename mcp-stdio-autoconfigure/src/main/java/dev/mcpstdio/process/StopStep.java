package dev.mcpstdio.process;

/**
 * The step of the stop ladder at which a process tree was gone.
 */
public enum StopStep {

	/** The tree had already exited when the stop began. */
	ALREADY_EXITED,

	/** The child exited after its stdin was closed. */
	EOF,

	/** The tree exited after SIGTERM. */
	SIGTERM,

	/** The tree was killed with SIGKILL. */
	SIGKILL

}
