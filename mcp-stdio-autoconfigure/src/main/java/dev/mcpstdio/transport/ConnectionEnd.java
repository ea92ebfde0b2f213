package dev.mcpstdio.transport;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import dev.mcpstdio.process.ManagedProcess;
import dev.mcpstdio.process.StopReport;
import dev.mcpstdio.process.StopStep;
import dev.mcpstdio.transport.ConnectionState.State;
import dev.mcpstdio.transport.error.McpStdioException;
import dev.mcpstdio.transport.error.McpStdioExitedException;
import dev.mcpstdio.transport.error.McpStdioRefusedException;
import dev.mcpstdio.transport.inflight.ErrorResponses;
import dev.mcpstdio.transport.inflight.InFlightRequest;
import dev.mcpstdio.transport.inflight.InFlightRequests;
import dev.mcpstdio.transport.pipe.ChildPipes;
import dev.mcpstdio.transport.pipe.StderrSink;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCMessage;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a connection ends: stopped, or by the child's own exit. Whoever leaves
 * {@code CONNECTED} first ({@link ConnectionState}) records why, fails every request in
 * flight at once with an {@link ErrorResponses} answer, ends the pipes, and completes
 * {@link #stopped()} once the child's tree is gone.
 */
final class ConnectionEnd {

	private static final Logger logger = LoggerFactory.getLogger(ConnectionEnd.class);

	/** How long the end of stdout and stderr is awaited once the child has exited. */
	private static final Duration READER_DRAIN = Duration.ofMillis(500);

	/** How long the readers are given once the tree is gone, both together. */
	private static final Duration READER_DRAIN_AFTER_STOP = Duration.ofMillis(250);

	private static final StopReport NEVER_STARTED = new StopReport(-1, StopStep.ALREADY_EXITED, -1, Duration.ZERO, 0);

	private final String name;

	private final StdioTransportOptions options;

	private final ConnectionState state;

	private final InFlightRequests inFlight;

	private final StderrSink stderr;

	private final ErrorResponses errors;

	private final Consumer<JSONRPCMessage> toClient;

	private final CompletableFuture<StopReport> stopped = new CompletableFuture<>();

	/** Why the connection ended, once it has. */
	private final CompletableFuture<McpStdioException> ended = new CompletableFuture<>();

	ConnectionEnd(String name, StdioTransportOptions options, ConnectionState state, InFlightRequests inFlight,
			StderrSink stderr, ErrorResponses errors, Consumer<JSONRPCMessage> toClient) {
		this.name = name;
		this.options = options;
		this.state = state;
		this.inFlight = inFlight;
		this.stderr = stderr;
		this.errors = errors;
		this.toClient = toClient;
	}

	/** Completes when the connection has ended and the child's tree is gone. */
	CompletableFuture<StopReport> stopped() {
		return this.stopped;
	}

	/** Why the connection ended, once it has. */
	@Nullable McpStdioException terminalError() {
		return this.ended.getNow(null);
	}

	/**
	 * Why the connection ended, waiting up to the timeout for it to end: a write the
	 * child refused (it closed its stdin) is most often its exit under way, whose code
	 * and stderr say more than the write.
	 */
	@Nullable McpStdioException awaitTerminalError(Duration timeout) {
		try {
			return this.ended.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (ExecutionException | TimeoutException ex) {
			// not ended in time
		}
		return terminalError();
	}

	private void end(McpStdioException why) {
		this.ended.complete(why);
	}

	/** The child could not be launched (or its pipes not set up). */
	void launchFailed(McpStdioException why, @Nullable ManagedProcess child) {
		end(why);
		this.state.closed();
		this.stopped.complete((child != null) ? child.stop(this.options.stopTimeouts()) : NEVER_STARTED);
	}

	/** A stop came before the connection ever started. */
	void closedUnstarted() {
		this.stopped.complete(NEVER_STARTED);
	}

	/**
	 * Stops a connection this caller took out of {@code CONNECTED}: waits up to
	 * {@code drain-timeout} for requests in flight, runs the stop ladder, fails what is
	 * left, ends the pipes.
	 */
	void stop(ManagedProcess child, ChildPipes pipes, Duration drainTimeout) {
		try {
			if (!drainTimeout.isZero() && !this.inFlight.awaitEmpty(drainTimeout)) {
				logger.warn("MCP server '{}' (pid {}): {} request(s) still in flight after drain-timeout {}", this.name,
						child.pid(), this.inFlight.size(), drainTimeout);
			}
			StopReport report = child.stop(this.options.stopTimeouts());
			if (report.step() == StopStep.ALREADY_EXITED) {
				// it exited on its own before the stop reached it: that is why it ended
				pipes.drain(READER_DRAIN);
				end(exitedOnItsOwn(child, report.exitCode()));
				pipes.close(READER_DRAIN_AFTER_STOP);
				failInFlight(exit(child, report.exitCode(), this.stderr.tail()), report.exitCode());
			}
			else {
				end(new McpStdioRefusedException(this.name, "MCP server '" + this.name + "' was stopped",
						report.exitCode(), this.stderr.tail()));
				pipes.close(READER_DRAIN_AFTER_STOP);
				failInFlight("was stopped", report.exitCode());
			}
			this.state.closed();
			this.stopped.complete(report);
		}
		catch (RuntimeException | Error ex) {
			this.state.closed();
			this.stopped.completeExceptionally(ex);
			throw ex;
		}
	}

	/**
	 * Stops as {@link #stop} does, on the executor; here if the executor refuses (it is
	 * closing), a failure then logged rather than thrown.
	 */
	void stopOn(Executor executor, ChildPipes pipes, Duration drainTimeout) {
		Runnable rest = () -> stop(pipes.child(), pipes, drainTimeout);
		try {
			executor.execute(rest);
		}
		catch (RejectedExecutionException ex) {
			try {
				rest.run(); // the executor is closing: here, then
			}
			catch (RuntimeException failure) {
				logger.warn("MCP server '{}': stopping failed", this.name, failure);
			}
		}
	}

	/** The child exited: reported unless a stop is under way. */
	void exited(ManagedProcess child, ChildPipes pipes) {
		if (!this.state.isConnected()) {
			return; // a stop is under way: it reports
		}
		// read stdout and stderr to their end first: a last response or stderr line is
		// never lost
		pipes.drain(READER_DRAIN);
		if (!this.state.leaveConnected(State.EXITED)) {
			return;
		}
		int exitCode = child.exitCode().orElse(-1);
		end(exitedOnItsOwn(child, exitCode));
		failInFlight(exit(child, exitCode, this.stderr.tail()), exitCode);
		try {
			// the child is gone; its descendants may not be
			StopReport report = child.stop(this.options.stopTimeouts());
			pipes.close(READER_DRAIN_AFTER_STOP);
			this.stopped.complete(report);
		}
		catch (RuntimeException ex) {
			this.stopped.completeExceptionally(ex);
		}
	}

	/**
	 * The child closed its stdout: if it does not exit within {@code eof-timeout},
	 * nothing more can come from it, so it is stopped (and its exit reported as any
	 * other).
	 */
	void stdoutClosed(ManagedProcess child) {
		try {
			if (child.onExit().get(this.options.stopTimeouts().eof().toMillis(), TimeUnit.MILLISECONDS) != null) {
				return; // the exit is reported by exited()
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (ExecutionException | TimeoutException ex) {
			// still running with its stdout closed
		}
		logger.warn("MCP server '{}' (pid {}) closed its stdout but kept running: stopping it", this.name, child.pid());
		child.stop(this.options.stopTimeouts());
	}

	/**
	 * The child's exit, on its own, reported once: at WARN, with its stderr tail, and the
	 * limit it exceeded where one explains it.
	 */
	private McpStdioExitedException exitedOnItsOwn(ManagedProcess child, int exitCode) {
		List<String> lines = this.stderr.tail();
		String message = McpStdioException.withTail(
				"MCP server '" + this.name + "' " + exit(child, exitCode, lines) + " (pid " + child.pid() + ")", lines);
		logger.warn(message);
		return new McpStdioExitedException(this.name, message, exitCode, lines);
	}

	/**
	 * {@code exited with code 1}, or
	 * {@code exceeded limits.memory (128MB) and exited with code 1}.
	 */
	private static String exit(ManagedProcess child, int exitCode, List<String> lines) {
		return child.exceededLimit(lines).map((limit) -> "exceeded " + limit + " and ").orElse("") + "exited with code "
				+ exitCode;
	}

	private void failInFlight(String what, int exitCode) {
		List<InFlightRequest> requests = this.inFlight.failAll();
		if (!requests.isEmpty()) {
			List<String> lines = this.stderr.tail();
			requests.forEach((request) -> this.toClient.accept(this.errors.ended(request, what, exitCode, lines)));
		}
	}

}
