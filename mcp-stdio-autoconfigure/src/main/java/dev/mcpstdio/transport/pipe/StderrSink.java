package dev.mcpstdio.transport.pipe;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Supplier;

import io.micrometer.observation.Observation;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Where a child's stderr goes: each line redacted of secrets and its control characters
 * escaped ({@link ControlCharacters}), logged to {@code mcp.stdio.<name>} at
 * {@code stderr.level} with the server's name in the MDC (and the trace of the request in
 * flight, where there is one alone), and kept in a tail of the last
 * {@code stderr.tail-lines} lines for errors and health.
 */
public final class StderrSink {

	/** Longer stderr lines are cut, and their length told. */
	private static final int MAX_LINE = 8192;

	/** The MDC key of the server's name, on the lines of its stderr. */
	static final String MDC_SERVER = "mcp.stdio.server";

	private static final Logger logger = LoggerFactory.getLogger(StderrSink.class);

	private final String name;

	private final LogLevel level;

	private final Logger stderrLogger;

	private final Redactor redactor;

	private final StderrTail tail;

	private final Supplier<@Nullable Observation> inFlight;

	public StderrSink(String name, LogLevel level, int tailLines, Redactor redactor) {
		this(name, level, tailLines, redactor, () -> null);
	}

	/**
	 * @param name the server's name
	 * @param level the level of its lines
	 * @param tailLines how many lines the tail keeps
	 * @param redactor takes the secrets out of each line
	 * @param inFlight the observation of the one request in flight, if there is one
	 * alone: a line is logged in its scope, so that a tracing bridge puts its trace id in
	 * the MDC
	 */
	public StderrSink(String name, LogLevel level, int tailLines, Redactor redactor,
			Supplier<@Nullable Observation> inFlight) {
		this.name = name;
		this.level = level;
		this.stderrLogger = LoggerFactory.getLogger("mcp.stdio." + name);
		this.redactor = redactor;
		this.tail = new StderrTail(tailLines);
		this.inFlight = inFlight;
	}

	/**
	 * Reads the stream to its end, line by line, with the server's name in the MDC
	 * ({@value #MDC_SERVER}) of the reading thread.
	 */
	public void readToEnd(InputStream stderr) {
		MDC.put(MDC_SERVER, this.name);
		try {
			read(stderr);
		}
		finally {
			MDC.remove(MDC_SERVER);
		}
	}

	private void read(InputStream stderr) {
		LineReader reader = new LineReader(stderr, MAX_LINE, new LineReader.Listener() {

			@Override
			public void onLine(byte[] bytes, int length) {
				line(new String(bytes, 0, length, StandardCharsets.UTF_8));
			}

			@Override
			public void onOversizedLine(String start, long length) {
				line(start + "... (" + length + " bytes)");
			}

		});
		try {
			reader.readToEnd();
		}
		catch (IOException ex) {
			logger.debug("MCP server '{}': stderr closed: {}", this.name, ex.getMessage());
		}
	}

	private void line(String raw) {
		// secrets first, as the server wrote them
		String line = ControlCharacters.escape(this.redactor.redact(raw));
		this.tail.add(line);
		Observation.Scope scope = openScope(this.inFlight.get());
		try {
			this.level.log(this.stderrLogger, line);
		}
		finally {
			if (scope != null) {
				close(scope);
			}
		}
	}

	/**
	 * The scope of the request in flight, for a line; none where it ended meanwhile and
	 * its handlers refuse: a line is never lost, nor the reading ended, for a trace id.
	 */
	private static Observation.@Nullable Scope openScope(@Nullable Observation request) {
		try {
			return (request != null) ? request.openScope() : null;
		}
		catch (RuntimeException ex) {
			return null;
		}
	}

	private static void close(Observation.Scope scope) {
		try {
			scope.close();
		}
		catch (RuntimeException ex) {
			// as above: the line was logged
		}
	}

	/** The last lines, secrets redacted, control characters escaped. */
	public List<String> tail() {
		return this.tail.lines();
	}

}
