package dev.mcpstdio.transport.inflight;

import java.time.Duration;

import io.micrometer.observation.Observation;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A request as it is sent: how errors name it, and its copies holding a turn or observed.
 */
class SentRequestTests {

	private final SentRequest sent = new SentRequest(7, "tools/call", "slow", "t", true,
			new RequestLimits(Duration.ofSeconds(30), "tools.request-timeouts.slow PT30S", Duration.ofMinutes(10),
					"max-request-timeout PT10M"),
			false);

	@Test
	void requestIsDescribedByItsMethodAndItsToolIfItHasOne() {
		assertThat(this.sent.describe()).isEqualTo("request 'tools/call' of tool 'slow'");
		assertThat(new SentRequest(1, "ping", null, null, false, RequestLimits.of(Duration.ZERO), false).describe())
			.isEqualTo("request 'ping'");
	}

	@Test
	void requestHoldingATurnKeepsItsNamesAndCapWithWhatIsLeftOfItsTimeout() {
		SentRequest holding = this.sent.holdingTurn(Duration.ofSeconds(12));
		assertThat(holding.holdsTurn()).isTrue();
		assertThat(holding.limits()).isEqualTo(new RequestLimits(Duration.ofSeconds(12),
				"tools.request-timeouts.slow PT30S", Duration.ofMinutes(10), "max-request-timeout PT10M"));
		assertThat(holding).usingRecursiveComparison().ignoringFields("limits", "holdsTurn").isEqualTo(this.sent);
	}

	@Test
	void observedRequestKeepsEverythingElse() {
		SentRequest observed = this.sent.observedBy(Observation.NOOP);
		assertThat(observed.observation()).isSameAs(Observation.NOOP);
		assertThat(observed.observedBy(null)).isEqualTo(this.sent);
	}

}
