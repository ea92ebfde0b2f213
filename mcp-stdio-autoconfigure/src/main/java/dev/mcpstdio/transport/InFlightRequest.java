package dev.mcpstdio.transport;

import org.jspecify.annotations.Nullable;

/**
 * A request in flight: the request as it was sent, when it was sent, when it is overdue,
 * and when its cap ends ({@link Long#MAX_VALUE}: never).
 */
record InFlightRequest(SentRequest sent, long sentNanos, long deadlineNanos, long capNanos) {

	Object id() {
		return this.sent.id();
	}

	String method() {
		return this.sent.method();
	}

	@Nullable Object progressToken() {
		return this.sent.progressToken();
	}

	boolean ownToken() {
		return this.sent.ownToken();
	}

	boolean holdsTurn() {
		return this.sent.holdsTurn();
	}

	/** The timeout its progress restarts, zero for none. */
	long timeoutNanos() {
		return this.sent.limits().timeout().toNanos();
	}

	/** The request as errors name it: {@code request 'tools/call' of tool 'slow'}. */
	String describe() {
		return this.sent.describe();
	}

	InFlightRequest withDeadline(long deadline) {
		return new InFlightRequest(this.sent, this.sentNanos, deadline, this.capNanos);
	}

	/** Whether its deadline is its cap: it ran out of max-request-timeout. */
	boolean capped() {
		return this.capNanos != Long.MAX_VALUE && this.deadlineNanos == this.capNanos;
	}

}
