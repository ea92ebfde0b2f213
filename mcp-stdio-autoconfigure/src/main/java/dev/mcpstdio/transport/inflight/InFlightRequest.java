package dev.mcpstdio.transport.inflight;

import org.jspecify.annotations.Nullable;

/**
 * A request in flight: the request as it was sent, when it was sent, when it is overdue,
 * and when its cap ends ({@link Long#MAX_VALUE}: never). It is overdue its timeout after
 * it was sent, or after its last progress where progress restarts the timeout, and at its
 * cap at the latest.
 */
public record InFlightRequest(SentRequest sent, long sentNanos, long deadlineNanos, long capNanos) {

	/**
	 * A request sent at a time.
	 * @param sent the request and its limits
	 * @param nowNanos when it was sent
	 * @return the request in flight, overdue its timeout later, its cap at most
	 */
	static InFlightRequest sentAt(SentRequest sent, long nowNanos) {
		RequestLimits limits = sent.limits();
		long cap = limits.cap().isZero() ? Long.MAX_VALUE : nowNanos + limits.cap().toNanos();
		long deadline = Math.min(limits.timeout().isZero() ? Long.MAX_VALUE : nowNanos + limits.timeout().toNanos(),
				cap);
		return new InFlightRequest(sent, nowNanos, deadline, cap);
	}

	public Object id() {
		return this.sent.id();
	}

	public String method() {
		return this.sent.method();
	}

	@Nullable Object progressToken() {
		return this.sent.progressToken();
	}

	public boolean ownToken() {
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
	public String describe() {
		return this.sent.describe();
	}

	/**
	 * The request after progress at a time: its timeout restarted, up to its cap.
	 * @param nowNanos when the progress came
	 * @return the request with its later deadline, or itself where it has no timeout or
	 * the restart would not move its deadline later
	 */
	InFlightRequest progressedAt(long nowNanos) {
		if (timeoutNanos() == 0) {
			return this;
		}
		long restarted = Math.min(nowNanos + timeoutNanos(), this.capNanos);
		if (restarted - this.deadlineNanos <= 0) {
			return this;
		}
		return new InFlightRequest(this.sent, this.sentNanos, restarted, this.capNanos);
	}

	/** Whether its deadline has passed at a time (never, where it has none). */
	boolean overdueAt(long nowNanos) {
		return nowNanos - this.deadlineNanos >= 0 && this.deadlineNanos != Long.MAX_VALUE;
	}

	/** Whether its deadline is its cap: it ran out of max-request-timeout. */
	boolean capped() {
		return this.capNanos != Long.MAX_VALUE && this.deadlineNanos == this.capNanos;
	}

}
