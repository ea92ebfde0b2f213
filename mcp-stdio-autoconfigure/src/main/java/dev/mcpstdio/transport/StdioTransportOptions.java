package dev.mcpstdio.transport;

import java.time.Duration;

import dev.mcpstdio.process.StopTimeouts;
import dev.mcpstdio.transport.pipe.LogLevel;

/**
 * How a {@link ManagedStdioTransport} frames, logs and stops.
 *
 * @param maxMessageSize the longest line accepted on stdout, in bytes; longer ones are
 * dropped with an error
 * @param stderrLevel the level at which stderr lines are logged
 * @param stderrTailLines how many of the last stderr lines are kept for errors and health
 * @param drainTimeout how long a stop waits for requests in flight
 * @param stopTimeouts the timeouts of the stop ladder
 * @param requestTimeout how long a request waits for its response before it fails with an
 * error naming the server, the method and the timeout; zero for no limit
 * @param tools which of the server's tools exist for the application: listed and callable
 * @param progress how progress bears on a request's timeout
 * @param maxConcurrentRequests how many requests may be at the server at once (0: no
 * cap); the others wait their turn, in order, within their own timeout
 */
public record StdioTransportOptions(int maxMessageSize, LogLevel stderrLevel, int stderrTailLines,
		Duration drainTimeout, StopTimeouts stopTimeouts, Duration requestTimeout, ToolPolicy tools,
		ProgressTimeouts progress, int maxConcurrentRequests) {

	/** 16 MB, the default {@code max-message-size}. */
	public static final int DEFAULT_MAX_MESSAGE_SIZE = 16 * 1024 * 1024;

	public StdioTransportOptions {
		if (maxMessageSize <= 0) {
			throw new IllegalArgumentException("max-message-size must be positive, but was " + maxMessageSize);
		}
		if (stderrTailLines < 0) {
			throw new IllegalArgumentException("stderr.tail-lines must not be negative, but was " + stderrTailLines);
		}
		if (drainTimeout.isNegative()) {
			throw new IllegalArgumentException("shutdown.drain-timeout must not be negative, but was " + drainTimeout);
		}
		if (maxConcurrentRequests < 0) {
			throw new IllegalArgumentException(
					"max-concurrent-requests must not be negative, but was " + maxConcurrentRequests);
		}
		if (requestTimeout.isNegative()) {
			throw new IllegalArgumentException("request-timeout must not be negative, but was " + requestTimeout);
		}
	}

	/**
	 * Options with every tool allowed, the default progress timeouts and no cap.
	 * @param maxMessageSize see {@link #maxMessageSize()}
	 * @param stderrLevel see {@link #stderrLevel()}
	 * @param stderrTailLines see {@link #stderrTailLines()}
	 * @param drainTimeout see {@link #drainTimeout()}
	 * @param stopTimeouts see {@link #stopTimeouts()}
	 * @param requestTimeout see {@link #requestTimeout()}
	 */
	public StdioTransportOptions(int maxMessageSize, LogLevel stderrLevel, int stderrTailLines, Duration drainTimeout,
			StopTimeouts stopTimeouts, Duration requestTimeout) {
		this(maxMessageSize, stderrLevel, stderrTailLines, drainTimeout, stopTimeouts, requestTimeout, ToolPolicy.ALL,
				ProgressTimeouts.DEFAULTS, 0);
	}

	/**
	 * The defaults of DESIGN.md: 16 MB, stderr at info, 50 tail lines, 5s drain, 2s eof,
	 * 2s term, 30s per request, every tool, progress resets a timeout up to 10m.
	 */
	public static StdioTransportOptions defaults() {
		return new StdioTransportOptions(DEFAULT_MAX_MESSAGE_SIZE, LogLevel.INFO, 50, Duration.ofSeconds(5),
				new StopTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(2)), Duration.ofSeconds(30));
	}

	public StdioTransportOptions withMaxConcurrentRequests(int maxConcurrentRequests) {
		return new StdioTransportOptions(this.maxMessageSize, this.stderrLevel, this.stderrTailLines, this.drainTimeout,
				this.stopTimeouts, this.requestTimeout, this.tools, this.progress, maxConcurrentRequests);
	}

	public StdioTransportOptions withProgress(ProgressTimeouts progress) {
		return new StdioTransportOptions(this.maxMessageSize, this.stderrLevel, this.stderrTailLines, this.drainTimeout,
				this.stopTimeouts, this.requestTimeout, this.tools, progress, this.maxConcurrentRequests);
	}

	public StdioTransportOptions withTools(ToolPolicy tools) {
		return new StdioTransportOptions(this.maxMessageSize, this.stderrLevel, this.stderrTailLines, this.drainTimeout,
				this.stopTimeouts, this.requestTimeout, tools, this.progress, this.maxConcurrentRequests);
	}

	public StdioTransportOptions withStopTimeouts(Duration drain, StopTimeouts stop) {
		return new StdioTransportOptions(this.maxMessageSize, this.stderrLevel, this.stderrTailLines, drain, stop,
				this.requestTimeout, this.tools, this.progress, this.maxConcurrentRequests);
	}

	public StdioTransportOptions withMaxMessageSize(int maxMessageSize) {
		return new StdioTransportOptions(maxMessageSize, this.stderrLevel, this.stderrTailLines, this.drainTimeout,
				this.stopTimeouts, this.requestTimeout, this.tools, this.progress, this.maxConcurrentRequests);
	}

	public StdioTransportOptions withStderr(LogLevel level, int tailLines) {
		return new StdioTransportOptions(this.maxMessageSize, level, tailLines, this.drainTimeout, this.stopTimeouts,
				this.requestTimeout, this.tools, this.progress, this.maxConcurrentRequests);
	}

	public StdioTransportOptions withRequestTimeout(Duration requestTimeout) {
		return new StdioTransportOptions(this.maxMessageSize, this.stderrLevel, this.stderrTailLines, this.drainTimeout,
				this.stopTimeouts, requestTimeout, this.tools, this.progress, this.maxConcurrentRequests);
	}

}
