package dev.mcpstdio.server;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import dev.mcpstdio.transport.pipe.ControlCharacters;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCResponse;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pings the running process of a keep-alive server every {@code health.ping-interval},
 * one ping at a time, and keeps the round trip and the failures in a row. A server that
 * does not know {@code ping} is not pinged again: its process's liveness is its health.
 */
final class HealthPinger {

	private static final Logger logger = LoggerFactory.getLogger(HealthPinger.class);

	private final String name;

	private final HealthSettings settings;

	private final Handshake handshake;

	private final ServerTimer timer;

	private final Clock clock;

	private @Nullable Generation current;

	private volatile boolean supported = true;

	private volatile @Nullable Duration lastRoundTrip;

	private volatile int failures;

	HealthPinger(String name, HealthSettings settings, Handshake handshake, Scheduler scheduler, Clock clock) {
		this.name = name;
		this.settings = settings;
		this.handshake = handshake;
		this.timer = new ServerTimer(scheduler);
		this.clock = clock;
	}

	/** Starts pinging a new process. */
	synchronized void start(Generation generation) {
		this.current = generation;
		this.failures = 0;
		scheduleNext(generation);
	}

	/** Stops pinging: the process is gone or going. */
	synchronized void stop() {
		this.current = null;
		this.timer.cancel();
	}

	private synchronized void scheduleNext(Generation generation) {
		if (this.current == generation && this.supported && !this.settings.pingInterval().isZero()) {
			this.timer.schedule(this.settings.pingInterval(), () -> ping(generation));
		}
	}

	private void ping(Generation generation) {
		synchronized (this) {
			if (this.current != generation) {
				return;
			}
		}
		Instant sent = this.clock.instant();
		try {
			JSONRPCResponse response = this.handshake.request(generation.transport(), McpSchema.METHOD_PING, null,
					this.settings.pingTimeout(), "health.ping-timeout");
			if (response.error() == null) {
				this.lastRoundTrip = Duration.between(sent, this.clock.instant());
				this.failures = 0;
			}
			else if (response.error().code() == McpSchema.ErrorCodes.METHOD_NOT_FOUND) {
				logger.info("MCP server '{}' does not answer ping: its health is its process's liveness", this.name);
				this.supported = false;
			}
			else {
				failed(ControlCharacters.escape(response.error().message()));
			}
		}
		catch (RuntimeException ex) {
			failed(ex.getMessage());
		}
		scheduleNext(generation);
	}

	private void failed(@Nullable String why) {
		int failuresInARow = ++this.failures;
		if (failuresInARow == this.settings.failureThreshold()) {
			logger.warn("MCP server '{}' failed {} pings in a row: {}", this.name, failuresInARow, why);
		}
	}

	/** The pings as health shows them. */
	ServerStatus.Pings status() {
		return new ServerStatus.Pings(this.supported && !this.settings.pingInterval().isZero(), this.lastRoundTrip,
				this.failures, this.settings.failureThreshold());
	}

}
