package dev.mcpstdio.server;

import java.util.List;

import dev.mcpstdio.transport.ManagedStdioTransport;
import org.jspecify.annotations.Nullable;

/**
 * What the last process of a server left behind, as one value, so that a status never
 * mixes two exits.
 *
 * @param exitCode its exit code, if it exited
 * @param error why the server last failed, if it did
 * @param stderrTail its last stderr lines, secrets redacted
 */
record LastExit(@Nullable Integer exitCode, @Nullable String error, List<String> stderrTail) {

	static final LastExit NONE = new LastExit(null, null, List.of());

	LastExit {
		stderrTail = List.copyOf(stderrTail);
	}

	/** What a transport's process left, with why it failed (null: it did not). */
	static LastExit of(ManagedStdioTransport transport, @Nullable String error) {
		return new LastExit(transport.exitCode().isPresent() ? transport.exitCode().getAsInt() : null, error,
				transport.stderrTail());
	}

	/** The same exit, forgiven: a process started since. */
	LastExit withoutError() {
		return new LastExit(this.exitCode, null, this.stderrTail);
	}

}
