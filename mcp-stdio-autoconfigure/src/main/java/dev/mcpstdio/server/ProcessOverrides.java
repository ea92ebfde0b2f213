package dev.mcpstdio.server;

import java.nio.file.Path;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * What one caller's own process of a {@code keep-alive: false} server gets besides the
 * server's definition: more environment variables (a per-user credential, say; never the
 * caller's token) and a working directory of its own.
 *
 * @param env variables added over the server's own
 * @param workingDirectory the process's directory, or null for the server's
 */
public record ProcessOverrides(Map<String, String> env, @Nullable Path workingDirectory) {

	/** Nothing besides the definition: a process like any other, from the pool. */
	public static final ProcessOverrides NONE = new ProcessOverrides(Map.of(), null);

	public ProcessOverrides {
		env = Map.copyOf(env);
	}

	/** Whether it changes nothing. */
	public boolean isEmpty() {
		return this.env.isEmpty() && this.workingDirectory == null;
	}

}
