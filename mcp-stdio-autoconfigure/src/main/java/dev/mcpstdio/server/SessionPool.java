package dev.mcpstdio.server;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import dev.mcpstdio.transport.ManagedStdioTransport;
import dev.mcpstdio.transport.error.McpStdioException;
import dev.mcpstdio.transport.error.McpStdioRefusedException;
import dev.mcpstdio.transport.error.McpStdioTimeoutException;
import io.modelcontextprotocol.client.McpSyncClient;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The processes of a server with {@code keep-alive: false}: at most {@code max-sessions}
 * live at once, idle pooled ones included, and {@code pool.min-idle} of them started and
 * initialized ahead of the sessions that will take them. A process serves one session and
 * is stopped when that session closes, never reused. A pooled process that dies while
 * idle is replaced under the restart policy and its backoff, so a server that cannot
 * start does not spin.
 */
final class SessionPool {

	private static final Logger logger = LoggerFactory.getLogger(SessionPool.class);

	private final String name;

	private final SessionSettings settings;

	private final Supplier<SessionProcess> launcher;

	private final Executor workers;

	private final RestartTracker restarts;

	private final Deque<SessionProcess> idle = new ArrayDeque<>();

	private final AtomicLong waits = new AtomicLong();

	private final AtomicLong refusals = new AtomicLong();

	/** Live processes: idle, starting, or serving a session; at most max-sessions. */
	private int live;

	/** Pool processes being started. */
	private int starting;

	/** Sessions waiting for a process: they go before the pool's refills. */
	private int waiting;

	private boolean open;

	/** Stopped, and not started again: sessions waiting for a slot are refused. */
	private boolean stopped;

	/**
	 * Creates the pool; nothing starts before {@link #start()}.
	 * @param name the server's name
	 * @param settings min-idle and max-sessions
	 * @param launcher launches and initializes one process, or throws why it could not
	 * @param workers where pooled processes are started
	 * @param restarts the restart policy and backoff of replacements
	 */
	SessionPool(String name, SessionSettings settings, Supplier<SessionProcess> launcher, Executor workers,
			RestartTracker restarts) {
		this.name = name;
		this.settings = settings;
		this.launcher = launcher;
		this.workers = workers;
		this.restarts = restarts;
	}

	/** Fills the pool to {@code min-idle}, in the background. */
	void start() {
		synchronized (this) {
			this.open = true;
			this.stopped = false;
		}
		this.restarts.reset();
		refill();
	}

	/**
	 * A process for a new session: an idle pooled one at once, else a new one as soon as
	 * fewer than {@code max-sessions} are live, else the first to come idle or free.
	 * @param timeout how long to wait when {@code max-sessions} are live
	 * @return the process, initialized; its session gives it back with {@link #release}
	 * @throws McpStdioException if none came in time, or the process could not start
	 */
	SessionProcess take(Duration timeout) {
		SessionProcess pooled = pooledOrSlot(timeout, true);
		if (pooled != null) {
			refill();
			return pooled;
		}
		return launchedInSlot(this.launcher);
	}

	/**
	 * A process launched as the caller says (one caller's own), never an idle one: it
	 * takes a slot of {@code max-sessions} like any other and gives it back with
	 * {@link #release}; idle processes keep theirs.
	 * @param timeout how long to wait for a slot
	 * @param launcher launches and initializes it
	 * @return the process, initialized
	 * @throws McpStdioException if no slot came in time, or the process could not start
	 */
	SessionProcess launch(Duration timeout, Supplier<SessionProcess> launcher) {
		pooledOrSlot(timeout, false);
		return launchedInSlot(launcher);
	}

	/** Launches a process in the slot taken for it, giving the slot back if it fails. */
	private SessionProcess launchedInSlot(Supplier<SessionProcess> launcher) {
		try {
			return launcher.get();
		}
		catch (RuntimeException ex) {
			release();
			throw ex;
		}
	}

	/**
	 * An idle process (if idle ones may serve), or null with a slot taken for a new one.
	 */
	private synchronized @Nullable SessionProcess pooledOrSlot(Duration timeout, boolean idleToo) {
		long deadline = System.nanoTime() + timeout.toNanos();
		boolean waited = false;
		boolean interrupted = false;
		try {
			while (true) {
				if (this.stopped) {
					throw new McpStdioRefusedException(this.name,
							"MCP server '" + this.name + "' was stopped while a session waited for a process", null,
							List.of());
				}
				SessionProcess pooled = idleToo ? this.idle.pollFirst() : null;
				if (pooled != null) {
					return pooled;
				}
				if (this.live < this.settings.maxSessions()) {
					this.live++;
					return null;
				}
				long left = deadline - System.nanoTime();
				if (left <= 0 || interrupted) {
					this.refusals.incrementAndGet();
					throw new McpStdioTimeoutException(this.name,
							"MCP server '" + this.name + "': no session could open within " + timeout
									+ ": all max-sessions " + this.settings.maxSessions()
									+ " processes are in use. Close sessions sooner, or raise" + " mcp.stdio.servers."
									+ this.name + ".max-sessions",
							null, List.of());
				}
				if (!waited) {
					waited = true;
					this.waits.incrementAndGet();
				}
				this.waiting++;
				try {
					wait(Math.max(1, left / 1_000_000));
				}
				catch (InterruptedException ex) {
					interrupted = true;
				}
				finally {
					this.waiting--;
				}
			}
		}
		finally {
			if (interrupted) {
				Thread.currentThread().interrupt();
			}
		}
	}

	/** A session closed and its process is stopped: it no longer counts. */
	void release() {
		synchronized (this) {
			this.live--;
			notifyAll();
		}
		refill();
	}

	/** Stops the idle processes and starts no more; returns when they are gone. */
	void stop() {
		List<SessionProcess> stopping;
		synchronized (this) {
			this.open = false;
			this.stopped = true;
			notifyAll();
			awaitStarts();
			stopping = new ArrayList<>(this.idle);
			this.idle.clear();
		}
		this.restarts.cancel();
		stopping.stream()
			.map((process) -> CompletableFuture.runAsync(process::stop, this.workers))
			.toList()
			.forEach(CompletableFuture::join);
		synchronized (this) {
			this.live -= stopping.size();
			notifyAll();
		}
	}

	/** Waits for the starts under way, which add their process to the pool. */
	private void awaitStarts() {
		boolean interrupted = false;
		while (this.starting > 0) {
			try {
				wait();
			}
			catch (InterruptedException ex) {
				interrupted = true;
			}
		}
		if (interrupted) {
			Thread.currentThread().interrupt();
		}
	}

	private void refill() {
		while (true) {
			synchronized (this) {
				if (!this.open || this.waiting > 0 || this.idle.size() + this.starting >= this.settings.minIdle()
						|| this.live >= this.settings.maxSessions()) {
					return;
				}
				this.live++;
				this.starting++;
			}
			this.workers.execute(this::startOne);
		}
	}

	private void startOne() {
		SessionProcess process;
		try {
			process = this.launcher.get();
		}
		catch (RuntimeException ex) {
			synchronized (this) {
				this.live--;
				this.starting--;
				notifyAll();
			}
			replaceAfter(-1, ex.getMessage());
			return;
		}
		synchronized (this) {
			this.idle.addLast(process);
			this.starting--;
			notifyAll();
		}
		process.transport().whenStopped().whenComplete((report, error) -> diedWhileIdle(process));
	}

	private void diedWhileIdle(SessionProcess process) {
		synchronized (this) {
			if (!this.idle.remove(process)) {
				return; // taken by a session, or stopped with the pool
			}
			this.live--;
			notifyAll();
		}
		replaceAfter(process.transport().exitCode().orElse(-1), "exited while idle in the pool");
	}

	private void replaceAfter(int exitCode, @Nullable String why) {
		synchronized (this) {
			if (!this.open) {
				return;
			}
		}
		ServerState next = this.restarts.afterExit(exitCode, exitCode == -1, this::refill);
		if (next != ServerState.BACKOFF) {
			logger.warn("MCP server '{}': a pooled process failed ({}); the pool is refilled again when a session"
					+ " closes or the server is restarted", this.name, why);
		}
	}

	/** Idle pooled processes. */
	synchronized int idleCount() {
		return this.idle.size();
	}

	/**
	 * The pool as health and the endpoint show it.
	 * @param stopping the processes of closed sessions still stopping
	 */
	ServerStatus.Pool status(int stopping) {
		return new ServerStatus.Pool(idleCount(), stopping, this.settings.minIdle(), this.settings.maxSessions(),
				this.waits.get(), this.refusals.get());
	}

	/**
	 * One process of a session: its transport and its initialized client.
	 *
	 * @param transport its transport
	 * @param client its client
	 */
	record SessionProcess(ManagedStdioTransport transport, McpSyncClient client) {

		/** Stops the process tree, then closes the client. */
		void stop() {
			this.transport.stop();
			this.client.close();
		}

	}

}
