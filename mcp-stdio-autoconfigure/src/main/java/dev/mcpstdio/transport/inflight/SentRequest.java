package dev.mcpstdio.transport.inflight;

import java.time.Duration;

import io.micrometer.observation.Observation;
import org.jspecify.annotations.Nullable;

/**
 * A request as it is sent.
 *
 * @param id its JSON-RPC id
 * @param method its method
 * @param tool the tool a tools/call calls, if it says
 * @param progressToken the token of its progress notifications, if it asked for them
 * @param ownToken whether the starter asked for them (its notifications are not the
 * client's)
 * @param limits its timeout and cap
 * @param holdsTurn whether it holds one of the turns of max-concurrent-requests
 * @param observation its observation, where it is observed
 */
public record SentRequest(Object id, String method, @Nullable String tool, @Nullable Object progressToken,
		boolean ownToken, RequestLimits limits, boolean holdsTurn, @Nullable Observation observation) {

	public SentRequest(Object id, String method, @Nullable String tool, @Nullable Object progressToken,
			boolean ownToken, RequestLimits limits, boolean holdsTurn) {
		this(id, method, tool, progressToken, ownToken, limits, holdsTurn, null);
	}

	/** The request as errors name it: {@code request 'tools/call' of tool 'slow'}. */
	public String describe() {
		return ErrorResponses.describe(this.method, this.tool);
	}

	/** The request holding a turn at the server, with what is left of its timeout. */
	public SentRequest holdingTurn(Duration timeoutLeft) {
		return new SentRequest(this.id, this.method, this.tool, this.progressToken, this.ownToken,
				new RequestLimits(timeoutLeft, this.limits.timeoutName(), this.limits.cap(), this.limits.capName()),
				true, this.observation);
	}

	/** The request with its observation. */
	public SentRequest observedBy(@Nullable Observation observation) {
		return new SentRequest(this.id, this.method, this.tool, this.progressToken, this.ownToken, this.limits,
				this.holdsTurn, observation);
	}

}
