package dev.mcpstdio.transport.inflight;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;

/**
 * The latches of the sync callers held until their request leaves (answered, timed out,
 * cancelled, failed), by JSON-RPC id compared by its text: each is taken before its
 * request is sent and opened once the answer (or the error in its place) was delivered,
 * so that the caller then finds it at once.
 */
public final class CallerLatches {

	private final Map<String, CountDownLatch> latches = new ConcurrentHashMap<>();

	/**
	 * A latch that opens when {@link #release(Object)} is called for the id, or
	 * {@link #releaseAll()}.
	 * @param id the request's JSON-RPC id
	 * @return the latch
	 */
	public CountDownLatch watch(Object id) {
		CountDownLatch latch = new CountDownLatch(1);
		this.latches.put(String.valueOf(id), latch);
		return latch;
	}

	/** Forgets the latch of a request that was never sent. */
	void unwatch(Object id) {
		this.latches.remove(String.valueOf(id));
	}

	/**
	 * Releases the caller held for a request that left, once its answer (or the error in
	 * its place) was delivered.
	 * @param id its JSON-RPC id
	 */
	void release(Object id) {
		CountDownLatch latch = this.latches.remove(String.valueOf(id));
		if (latch != null) {
			latch.countDown();
		}
	}

	/** Releases every caller held, as all their requests failed at once. */
	void releaseAll() {
		this.latches.values().forEach(CountDownLatch::countDown);
		this.latches.clear();
	}

}
