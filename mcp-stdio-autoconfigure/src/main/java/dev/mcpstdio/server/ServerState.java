package dev.mcpstdio.server;

/**
 * The state of a managed server.
 */
public enum ServerState {

	/** Not running: not yet started, stopped, or exited without a restart due. */
	STOPPED,

	/** Its process is starting and being initialized. */
	STARTING,

	/** Its process is running and initialized. */
	RUNNING,

	/**
	 * Keep-alive false: no shared process; each session starts (or takes from the pool) a
	 * process of its own.
	 */
	ON_DEMAND,

	/** Being stopped through the ladder. */
	STOPPING,

	/** Exited; a restart is scheduled after a backoff. */
	BACKOFF,

	/** Gave up: too many restarts within the window, or a start that failed for good. */
	FAILED

}
