package dev.mcpstdio.server;

/**
 * The sessions of a server with {@code keep-alive: false}: each has a process of its own,
 * never reused.
 *
 * @param minIdle processes kept started and initialized for the next sessions
 * @param maxSessions live processes at most, idle pooled ones included; a session beyond
 * waits for a slot up to {@code request-timeout}
 */
public record SessionSettings(int minIdle, int maxSessions) {

	public SessionSettings {
		if (minIdle < 0 || maxSessions < 1 || minIdle > maxSessions) {
			throw new IllegalArgumentException("pool.min-idle (" + minIdle + ") must be between 0 and max-sessions ("
					+ maxSessions + "), and max-sessions at least 1");
		}
	}

	/** The defaults of DESIGN.md: no pool, 32 sessions at most. */
	public static SessionSettings defaults() {
		return new SessionSettings(0, 32);
	}

}
