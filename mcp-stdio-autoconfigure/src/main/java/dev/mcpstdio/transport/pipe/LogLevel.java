package dev.mcpstdio.transport.pipe;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.event.Level;

/**
 * The level at which a child's stderr lines are logged, or {@link #OFF} to drop them.
 */
public enum LogLevel {

	TRACE(Level.TRACE), DEBUG(Level.DEBUG), INFO(Level.INFO), WARN(Level.WARN), ERROR(Level.ERROR), OFF(null);

	private final @Nullable Level level;

	LogLevel(@Nullable Level level) {
		this.level = level;
	}

	/** Logs the line to the logger at this level, if the logger is enabled for it. */
	void log(Logger logger, String line) {
		if (this.level != null && logger.isEnabledForLevel(this.level)) {
			logger.atLevel(this.level).log(line);
		}
	}

}
