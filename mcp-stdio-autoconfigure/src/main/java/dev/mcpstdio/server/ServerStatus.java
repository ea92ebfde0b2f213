package dev.mcpstdio.server;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * A snapshot of a managed server, for health, the endpoint and logs.
 *
 * @param name the server's name
 * @param state its state
 * @param pid the pid of its process, if one runs (keep-alive only)
 * @param startedAt when its process was started
 * @param uptime how long it has been running
 * @param restarts how many times it was restarted
 * @param lastExitCode the exit code of its last process, if one exited
 * @param lastError why it last failed, if it did
 * @param serverName the name the server gave in {@code initialize}
 * @param serverVersion the version the server gave
 * @param protocolVersion the negotiated protocol version
 * @param sessions open sessions (keep-alive: false)
 * @param stderrTail the last stderr lines, secrets redacted
 * @param everStarted whether a process of it ever ran
 * @param stoppedOnPurpose whether it was stopped (rather than exited or idle)
 * @param pings the health pings
 * @param toolCount how many tools it offers, once listed
 */
public record ServerStatus(String name, ServerState state, @Nullable Long pid, @Nullable Instant startedAt,
		Duration uptime, int restarts, @Nullable Integer lastExitCode, @Nullable String lastError,
		@Nullable String serverName, @Nullable String serverVersion, @Nullable String protocolVersion, int sessions,
		List<String> stderrTail, boolean everStarted, boolean stoppedOnPurpose, Pings pings,
		@Nullable Integer toolCount) {

	/**
	 * The health pings of a keep-alive server.
	 *
	 * @param supported whether the server answers {@code ping} (false: judged by process
	 * liveness alone); also false when pings are off
	 * @param lastRoundTrip the round trip of the last successful ping
	 * @param consecutiveFailures failed pings in a row
	 * @param failureThreshold failed pings in a row that make it unhealthy
	 */
	public record Pings(boolean supported, @Nullable Duration lastRoundTrip, int consecutiveFailures,
			int failureThreshold) {

		/** Whether enough pings in a row failed to call the server unhealthy. */
		public boolean failing() {
			return this.supported && this.consecutiveFailures >= this.failureThreshold;
		}

	}

}
