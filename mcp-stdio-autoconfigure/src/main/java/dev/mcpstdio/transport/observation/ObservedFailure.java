package dev.mcpstdio.transport.observation;

/**
 * A request's failure as its observation records it (a tracing bridge marks the span as
 * an error with it): what the request was and how it failed, without a stack.
 */
final class ObservedFailure extends RuntimeException {

	ObservedFailure(String message) {
		super(message, null, false, false);
	}

}
