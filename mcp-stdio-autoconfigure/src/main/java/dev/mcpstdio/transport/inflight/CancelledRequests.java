package dev.mcpstdio.transport.inflight;

import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The requests this connection gave up on and told the server so: their ids and progress
 * tokens, the most recent {@link #KEPT} of them, so that a late answer or progress for
 * one is dropped quietly rather than taken for a server's mistake.
 */
public final class CancelledRequests {

	/** How many cancelled requests are remembered. */
	static final int KEPT = 1024;

	private final Map<String, Boolean> ids = bounded();

	private final Map<String, Boolean> tokens = bounded();

	public synchronized void add(Object id, @Nullable Object progressToken) {
		this.ids.put(String.valueOf(id), Boolean.TRUE);
		if (progressToken != null) {
			this.tokens.put(String.valueOf(progressToken), Boolean.TRUE);
		}
	}

	public synchronized boolean hasId(Object id) {
		return this.ids.containsKey(String.valueOf(id));
	}

	public synchronized boolean hasProgressToken(Object progressToken) {
		return this.tokens.containsKey(String.valueOf(progressToken));
	}

	private static Map<String, Boolean> bounded() {
		return new LinkedHashMap<>() {

			@Override
			protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
				return size() > KEPT;
			}

		};
	}

}
