package dev.mcpstdio.server;

import java.time.Duration;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

import io.modelcontextprotocol.client.McpSyncClient;
import org.jspecify.annotations.Nullable;

/**
 * What watches a keep-alive server's process while it runs: the {@link IdleTimer}, the
 * {@link HealthPinger} and the {@link ToolListWatcher}, started together when a process
 * becomes the running one and stopped together when it goes.
 */
final class RunningWatchers {

	private final IdleTimer idleTimer;

	private final HealthPinger pinger;

	private final ToolListWatcher tools;

	RunningWatchers(ServerDefinition definition, ServerRuntime runtime, Handshake handshake,
			ClientConnections connections, McpSyncClient client) {
		this.idleTimer = new IdleTimer(definition.idleTimeout(), runtime.clock, runtime.scheduler);
		this.pinger = new HealthPinger(definition.name(), definition.health(), handshake, runtime.scheduler,
				runtime.clock);
		this.tools = new ToolListWatcher(definition.name(), handshake, runtime.workers, definition.requestTimeout(),
				connections::deliver, client::isInitialized);
	}

	/**
	 * Starts watching the process that became the running one.
	 * @param running the process
	 * @param onIdle told, with the process and how long it was idle, when it is idle for
	 * {@code idle-timeout}
	 * @param onToolsListed told the process's tool count once it is known (null when
	 * listing failed)
	 */
	void start(Generation running, BiConsumer<Generation, Duration> onIdle, Consumer<@Nullable Integer> onToolsListed) {
		this.idleTimer.start(running.transport()::inFlightCount, (idleFor) -> onIdle.accept(running, idleFor));
		this.pinger.start(running);
		this.tools.list(running, onToolsListed);
	}

	/** Stops the timers: the process is gone or going. */
	void stop() {
		this.idleTimer.stop();
		this.pinger.stop();
	}

	/** Marks activity, which holds off the idle timeout. */
	void touch() {
		this.idleTimer.touch();
	}

	/** The status with the pings and the tool count. */
	ServerStatus.Builder addTo(ServerStatus.Builder status) {
		return status.pings(this.pinger.status()).toolCount(this.tools.toolCount());
	}

}
