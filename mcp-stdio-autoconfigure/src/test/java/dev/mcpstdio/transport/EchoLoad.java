package dev.mcpstdio.transport;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.TextContent;

/**
 * Many callers on one client, each echoing payloads of its own, every answer checked
 * against its request.
 */
final class EchoLoad {

	private EchoLoad() {
	}

	static Result run(McpSyncClient client, int callers, int calls) throws Exception {
		AtomicInteger failures = new AtomicInteger();
		AtomicInteger mismatches = new AtomicInteger();
		ExecutorService pool = Executors.newFixedThreadPool(callers);
		long started = System.nanoTime();
		List<Future<?>> futures = new ArrayList<>();
		for (int c = 0; c < callers; c++) {
			int caller = c;
			futures.add(pool.submit(() -> {
				for (int i = 0; i < calls; i++) {
					String payload = caller + ":" + i + ":" + Long.toHexString(System.nanoTime());
					try {
						String answer = ((TextContent) client
							.callTool(new CallToolRequest("echo", Map.of("text", payload)))
							.content()
							.get(0)).text();
						if (!payload.equals(answer)) {
							mismatches.incrementAndGet();
						}
					}
					catch (RuntimeException ex) {
						failures.incrementAndGet();
					}
				}
			}));
		}
		for (Future<?> future : futures) {
			future.get();
		}
		pool.shutdown();
		return new Result(callers, calls, failures.get(), mismatches.get(),
				Duration.ofNanos(System.nanoTime() - started));
	}

	record Result(int callers, int calls, int failures, int mismatches, Duration took) {

		@Override
		public String toString() {
			long millis = Math.max(1, this.took.toMillis());
			return String.format("%d callers x %d calls, %d failures, %d mismatched, %d ms (%d calls/s)", this.callers,
					this.calls, this.failures, this.mismatches, millis,
					this.callers * (long) this.calls * 1000 / millis);
		}

	}

}
