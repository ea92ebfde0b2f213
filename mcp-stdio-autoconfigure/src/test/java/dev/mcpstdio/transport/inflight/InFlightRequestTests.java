package dev.mcpstdio.transport.inflight;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A request's deadline: its timeout from when it was sent, restarted by progress, never
 * past its cap; on times the test gives.
 */
class InFlightRequestTests {

	private static final RequestLimits SECOND_CAPPED_AT_2_5 = new RequestLimits(Duration.ofSeconds(1), null,
			Duration.ofMillis(2500), "max-request-timeout PT2.5S");

	@Test
	void deadlineIsTheTimeoutFromSendingAndNeverPastTheCap() {
		InFlightRequest request = InFlightRequest.sentAt(sent(SECOND_CAPPED_AT_2_5), millis(100));
		assertThat(request.sentNanos()).isEqualTo(millis(100));
		assertThat(request.deadlineNanos()).isEqualTo(millis(1100));
		assertThat(request.capNanos()).isEqualTo(millis(2600));
		assertThat(request.capped()).isFalse();
		InFlightRequest longerThanItsCap = InFlightRequest.sentAt(
				sent(new RequestLimits(Duration.ofSeconds(3), null, Duration.ofSeconds(2), "max-request-timeout PT2S")),
				0);
		assertThat(longerThanItsCap.deadlineNanos()).isEqualTo(millis(2000));
		assertThat(longerThanItsCap.capped()).isTrue();
	}

	@Test
	void requestIsOverdueFromItsDeadlineOn() {
		InFlightRequest request = InFlightRequest.sentAt(sent(RequestLimits.of(Duration.ofSeconds(1))), 0);
		assertThat(request.overdueAt(millis(1000) - 1)).isFalse();
		assertThat(request.overdueAt(millis(1000))).isTrue();
		assertThat(request.capNanos()).as("no cap").isEqualTo(Long.MAX_VALUE);
	}

	@Test
	void requestWithoutTimeoutOrCapIsNeverOverdueAndProgressLeavesIt() {
		InFlightRequest request = InFlightRequest.sentAt(sent(RequestLimits.of(Duration.ZERO)), millis(5));
		assertThat(request.deadlineNanos()).isEqualTo(Long.MAX_VALUE);
		assertThat(request.overdueAt(Long.MAX_VALUE)).isFalse();
		assertThat(request.progressedAt(millis(10))).isSameAs(request);
	}

	@Test
	void progressRestartsTheTimeoutButNeverPastTheCap() {
		InFlightRequest request = InFlightRequest.sentAt(sent(SECOND_CAPPED_AT_2_5), 0);
		request = request.progressedAt(millis(900));
		assertThat(request.overdueAt(millis(1800))).as("restarted at 0.9 s: due at 1.9 s").isFalse();
		assertThat(request.overdueAt(millis(1900))).isTrue();
		request = request.progressedAt(millis(1800));
		InFlightRequest atItsCap = request;
		request = request.progressedAt(millis(2300));
		assertThat(request).as("already due at its cap").isSameAs(atItsCap);
		assertThat(request.overdueAt(millis(2499))).isFalse();
		assertThat(request.overdueAt(millis(2500))).isTrue();
		assertThat(request.capped()).isTrue();
		assertThat(ErrorResponses.timeoutName(request, Duration.ofSeconds(1))).isEqualTo("max-request-timeout PT2.5S");
	}

	@Test
	void requestDueWithinItsTimeoutIsNamedByItsTimeout() {
		InFlightRequest request = InFlightRequest.sentAt(sent(SECOND_CAPPED_AT_2_5), 0).progressedAt(millis(500));
		assertThat(request.deadlineNanos()).isEqualTo(millis(1500));
		assertThat(request.capped()).isFalse();
		assertThat(ErrorResponses.timeoutName(request, Duration.ofSeconds(1))).isEqualTo("request-timeout PT1S");
	}

	private static SentRequest sent(RequestLimits limits) {
		return new SentRequest(1, "tools/call", "slow", "t", true, limits, false);
	}

	private static long millis(long millis) {
		return Duration.ofMillis(millis).toNanos();
	}

}
