package dev.mcpstdio.transport.inflight;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;

import io.micrometer.observation.Observation;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCRequest;
import org.jspecify.annotations.Nullable;

/**
 * Sends a sync caller's request and holds the caller's thread until the request leaves
 * (answered, timed out, failed), so that an interrupt of that thread is seen here: the
 * request is then given up (the server is told to cancel it), the caller's interrupt flag
 * is set again, and the caller fails at once. Without it, the SDK would drop the request
 * silently and the server would work on for nobody.
 */
public final class HeldCalls {

	private final Sender sender;

	private final InFlightRequests inFlight;

	private final Consumer<Object> abandon;

	/**
	 * @param sender writes the request
	 * @param inFlight the requests in flight, whose leaving releases the caller
	 * @param abandon gives up the request of an id because its caller was interrupted
	 */
	public HeldCalls(Sender sender, InFlightRequests inFlight, Consumer<Object> abandon) {
		this.sender = sender;
		this.inFlight = inFlight;
		this.abandon = abandon;
	}

	/**
	 * Sends a request and returns once it left, or its caller was interrupted.
	 * @param request the request
	 * @param timeout how long it may wait for its response, zero for ever
	 * @param parent the caller's observation, if any
	 */
	public void send(JSONRPCRequest request, Duration timeout, @Nullable Observation parent) {
		CountDownLatch left = this.inFlight.callers().watch(request.id());
		try {
			this.sender.send(request, timeout, parent);
		}
		catch (RuntimeException ex) {
			this.inFlight.callers().unwatch(request.id());
			throw ex;
		}
		try {
			left.await();
		}
		catch (InterruptedException ex) {
			this.abandon.accept(request.id());
			Thread.currentThread().interrupt();
		}
	}

	/** Writes a request to the child, putting it in flight. */
	@FunctionalInterface
	public interface Sender {

		/**
		 * Writes a request.
		 * @param request the request
		 * @param timeout how long it may wait for its response, zero for ever
		 * @param parent the caller's observation, if any
		 */
		void send(JSONRPCRequest request, Duration timeout, @Nullable Observation parent);

	}

}
