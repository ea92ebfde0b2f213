package dev.mcpstdio.gateway;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The ids and progress tokens the gateway gives its sessions' requests on a shared
 * process: unique among every session's, so that two sessions' {@code id: 1} never meet.
 */
final class ProcessIds {

	private final AtomicLong ids = new AtomicLong();

	private final AtomicLong tokens = new AtomicLong();

	String next() {
		return "gw-" + this.ids.incrementAndGet();
	}

	String nextToken() {
		return "gw-progress-" + this.tokens.incrementAndGet();
	}

}
