package dev.mcpstdio.server;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import dev.mcpstdio.transport.error.McpStdioException;
import org.jspecify.annotations.Nullable;

/**
 * What the callers of a keep-alive server are told, through its {@link ReadyGate}: let
 * through to the running process; refused at once where the server is FAILED, stopped, or
 * backing off past their timeout; else kept waiting for the next process. The
 * {@link KeepAliveState} calls it under its lock, so that no caller misses a transition.
 */
final class ReadyAdmission {

	private final ServerErrors errors;

	private final RestartTracker restarts;

	private final Clock clock;

	private final Supplier<LastExit> lastExit;

	private final ReadyGate<Generation> gate = new ReadyGate<>();

	/**
	 * @param errors the server's errors
	 * @param restarts the restart policy, which tells when the next start comes
	 * @param clock the time
	 * @param lastExit the server's last exit, as it is when a caller is told
	 */
	ReadyAdmission(ServerErrors errors, RestartTracker restarts, Clock clock, Supplier<LastExit> lastExit) {
		this.errors = errors;
		this.restarts = restarts;
		this.clock = clock;
		this.lastExit = lastExit;
	}

	/** A process runs: every waiter, and every later caller, goes through to it. */
	void open(Generation running) {
		this.gate.open(running);
	}

	/** Later callers wait for the next process; waiters keep waiting. */
	void close() {
		this.gate.close();
	}

	/** Every waiter fails with the reason; later callers wait for the next process. */
	void fail(McpStdioException why) {
		this.gate.fail(why);
	}

	/** The server stopped: every waiter is told so. */
	void failStopped() {
		this.gate.fail(this.errors.stopped(this.lastExit.get()));
	}

	/** The server is FAILED: every waiter is told why. */
	void failFailed(McpStdioException why) {
		this.gate.fail(this.errors.failed(this.restarts.total(), this.lastExit.get(), why));
	}

	/**
	 * The next process comes at the given instant: callers who give up before are told.
	 */
	void nextAt(Instant next) {
		this.gate.nextAt(next);
	}

	/**
	 * What a caller that waits up to the timeout for a ready process gets while none
	 * runs: an error at once where the server is FAILED, stopped, or backing off past the
	 * timeout; else a wait at the gate, and whether the server starts on this use.
	 * @param state where the server is
	 * @param stopped whether it was stopped on purpose or its stop is coming
	 * @param startsOnUse whether a STOPPED server starts on this use
	 * @param timeout how long the caller waits
	 * @param method what the caller sends
	 * @return the error, or the wait
	 */
	Admission admit(ServerState state, boolean stopped, boolean startsOnUse, Duration timeout, String method) {
		// a server whose stop is coming is not started again now
		McpStdioException refusal = this.errors.refusal(state, stopped, method, this.restarts.total(),
				this.lastExit.get());
		if (refusal != null) {
			return Admission.refused(refusal);
		}
		Instant nextStart = this.restarts.nextStart();
		Instant now = this.clock.instant();
		if (state == ServerState.BACKOFF && nextStart != null && nextStart.isAfter(now.plus(timeout))) {
			return Admission.refused(
					this.errors.backingOff(method, timeout, Duration.between(now, nextStart), this.lastExit.get()));
		}
		return new Admission(null,
				this.gate
					.await(now.plus(timeout),
							(next) -> this.errors.backingOff(method, timeout,
									Duration.between(this.clock.instant(), next), this.lastExit.get())),
				state == ServerState.STOPPED && startsOnUse);
	}

	/**
	 * What a caller gets while no process is ready: an error at once, or a wait.
	 *
	 * @param refusal the error at once, or {@code null} for a wait
	 * @param ready completes with the ready process
	 * @param startNow whether the server starts on this use
	 */
	record Admission(@Nullable McpStdioException refusal, CompletableFuture<Generation> ready, boolean startNow) {

		static Admission refused(McpStdioException refusal) {
			return new Admission(refusal, CompletableFuture.failedFuture(refusal), false);
		}

	}

}
