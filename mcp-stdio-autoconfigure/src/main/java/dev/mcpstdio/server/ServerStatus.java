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
 */
public record ServerStatus(String name, ServerState state, @Nullable Long pid, @Nullable Instant startedAt,
		Duration uptime, int restarts, @Nullable Integer lastExitCode, @Nullable String lastError,
		@Nullable String serverName, @Nullable String serverVersion, @Nullable String protocolVersion, int sessions,
		List<String> stderrTail) {

}
