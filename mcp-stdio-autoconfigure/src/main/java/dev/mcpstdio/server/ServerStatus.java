package dev.mcpstdio.server;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import dev.mcpstdio.transport.pipe.ControlCharacters;
import io.modelcontextprotocol.spec.McpSchema;
import org.jspecify.annotations.Nullable;

/**
 * A snapshot of a managed server, for health, the endpoint and logs. What the server
 * wrote or said of itself (its name, version and protocol version, its stderr) has its
 * control characters escaped ({@link ControlCharacters}).
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
 * @param pool its pool of processes (keep-alive: false)
 * @param container the container its process runs, where it runs one
 * @param sandbox what confines its process ({@code bubblewrap}, {@code container},
 * {@code unavailable}: asked for, run unconfined; {@code off}), where one runs
 */
public record ServerStatus(String name, ServerState state, @Nullable Long pid, @Nullable Instant startedAt,
		Duration uptime, int restarts, @Nullable Integer lastExitCode, @Nullable String lastError,
		@Nullable String serverName, @Nullable String serverVersion, @Nullable String protocolVersion, int sessions,
		List<String> stderrTail, boolean everStarted, boolean stoppedOnPurpose, Pings pings,
		@Nullable Integer toolCount, @Nullable Pool pool, @Nullable ContainerInfo container, @Nullable String sandbox) {

	/**
	 * The container a server's process runs.
	 *
	 * @param engine the engine ({@code docker}, {@code podman}, {@code nerdctl})
	 * @param id the container's id, once the engine has created it
	 */
	public record ContainerInfo(String engine, @Nullable String id) {

	}

	/**
	 * The processes of a server with keep-alive: false.
	 *
	 * @param idle idle pooled processes, ready for the next sessions
	 * @param stopping processes of closed sessions still going down the stop ladder, each
	 * holding its slot
	 * @param minIdle the {@code pool.min-idle} it keeps
	 * @param maxSessions the {@code max-sessions} it allows
	 * @param waits sessions that had to wait for a slot
	 * @param refusals sessions refused after waiting request-timeout for a slot
	 */
	public record Pool(int idle, int stopping, int minIdle, int maxSessions, long waits, long refusals) {

	}

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

	/**
	 * A status of a server with nothing running: no process, no pings, no tools.
	 * @param name the server's name
	 * @param state its state
	 * @param restarts how many times it was restarted
	 * @param lastExit what its last process left
	 * @param failureThreshold its {@code health.failure-threshold}
	 */
	static Builder builder(String name, ServerState state, int restarts, LastExit lastExit, int failureThreshold) {
		return new Builder(name, state, restarts, lastExit, failureThreshold);
	}

	/** Builds a status field group by field group. */
	static final class Builder {

		private final String name;

		private final ServerState state;

		private final int restarts;

		private final LastExit lastExit;

		private @Nullable Generation process;

		private Duration uptime = Duration.ZERO;

		private int sessions;

		private boolean everStarted;

		private boolean stoppedOnPurpose;

		private Pings pings;

		private @Nullable Integer toolCount;

		private @Nullable Pool pool;

		private Builder(String name, ServerState state, int restarts, LastExit lastExit, int failureThreshold) {
			this.name = name;
			this.state = state;
			this.restarts = restarts;
			this.lastExit = lastExit;
			this.pings = new Pings(false, null, 0, failureThreshold);
		}

		/** The running process, up since its start. */
		Builder process(@Nullable Generation process, Instant now) {
			this.process = process;
			this.uptime = (process != null) ? Duration.between(process.startedAt(), now) : Duration.ZERO;
			return this;
		}

		Builder sessions(int sessions) {
			this.sessions = sessions;
			return this;
		}

		Builder history(boolean everStarted, boolean stoppedOnPurpose) {
			this.everStarted = everStarted;
			this.stoppedOnPurpose = stoppedOnPurpose;
			return this;
		}

		Builder pings(Pings pings) {
			this.pings = pings;
			return this;
		}

		Builder pool(Pool pool) {
			this.pool = pool;
			return this;
		}

		Builder toolCount(@Nullable Integer toolCount) {
			this.toolCount = toolCount;
			return this;
		}

		/** What the server said of itself, control characters escaped. */
		private static @Nullable String escaped(@Nullable String text) {
			return (text != null) ? ControlCharacters.escape(text) : null;
		}

		ServerStatus build() {
			Generation running = this.process;
			if (running == null) {
				return new ServerStatus(this.name, this.state, null, null, this.uptime, this.restarts,
						this.lastExit.exitCode(), this.lastExit.error(), null, null, null, this.sessions,
						this.lastExit.stderrTail(), this.everStarted, this.stoppedOnPurpose, this.pings, this.toolCount,
						this.pool, null, null);
			}
			McpSchema.Implementation info = running.result().serverInfo();
			return new ServerStatus(this.name, this.state, running.transport().pid(), running.startedAt(), this.uptime,
					this.restarts, this.lastExit.exitCode(), this.lastExit.error(),
					(info != null) ? escaped(info.name()) : null, (info != null) ? escaped(info.version()) : null,
					escaped(running.result().protocolVersion()), this.sessions, running.transport().stderrTail(),
					this.everStarted, this.stoppedOnPurpose, this.pings, this.toolCount, this.pool,
					running.transport()
						.container()
						.map((container) -> new ContainerInfo(container.engine().displayName(),
								container.id().orElse(null)))
						.orElse(null),
					running.transport().sandbox().orElse(null));
		}

	}

}
