package dev.mcpstdio.transport;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a child's stderr goes: each line redacted of secrets, logged to
 * {@code mcp.stdio.<name>} at {@code stderr.level}, and kept in a tail of the last
 * {@code stderr.tail-lines} lines for errors and health.
 */
final class StderrSink {

	/** Longer stderr lines are cut, and their length told. */
	private static final int MAX_LINE = 8192;

	private static final Logger logger = LoggerFactory.getLogger(StderrSink.class);

	private final String name;

	private final LogLevel level;

	private final Logger stderrLogger;

	private final Redactor redactor;

	private final StderrTail tail;

	StderrSink(String name, LogLevel level, int tailLines, Redactor redactor) {
		this.name = name;
		this.level = level;
		this.stderrLogger = LoggerFactory.getLogger("mcp.stdio." + name);
		this.redactor = redactor;
		this.tail = new StderrTail(tailLines);
	}

	/** Reads the stream to its end, line by line. */
	void readToEnd(InputStream stderr) {
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
		String line = this.redactor.redact(raw);
		this.tail.add(line);
		this.level.log(this.stderrLogger, line);
	}

	/** The last lines, secrets redacted. */
	List<String> tail() {
		return this.tail.lines();
	}

}
