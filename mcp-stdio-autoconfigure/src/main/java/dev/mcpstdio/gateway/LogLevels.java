package dev.mcpstdio.gateway;

import java.util.List;

import org.jspecify.annotations.Nullable;

/** MCP's logging levels, from the most verbose. */
final class LogLevels {

	static final List<String> ORDER = List.of("debug", "info", "notice", "warning", "error", "critical", "alert",
			"emergency");

	private LogLevels() {
	}

	/** The level's rank, the most verbose 0; unknown levels rank as debug. */
	static int rank(@Nullable Object level) {
		int rank = (level != null) ? ORDER.indexOf(level.toString()) : -1;
		return Math.max(rank, 0);
	}

}
