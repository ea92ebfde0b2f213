package dev.mcpstdio.server;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import dev.mcpstdio.transport.error.McpStdioRefusedException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a caller of a keep-alive server is told while no process is ready, with fake time.
 */
class ReadyAdmissionTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private final FakeTime time = new FakeTime();

	private final RestartTracker restarts = new RestartTracker("files", new RestartSettings(RestartPolicy.ON_FAILURE, 5,
			Duration.ofMinutes(1), Duration.ofSeconds(30), Duration.ofMinutes(1)), this.time, this.time);

	private final ReadyAdmission admission = new ReadyAdmission(new ServerErrors("files"), this.restarts, this.time,
			() -> new LastExit(3, "boom", List.of("oops")));

	private final AtomicInteger restarted = new AtomicInteger();

	@Test
	void callerOfAFailedServerIsRefusedAtOnce() {
		ReadyAdmission.Admission told = this.admission.admit(ServerState.FAILED, false, true, TIMEOUT, "tools/list");
		assertThat(told.refusal()).hasMessageContaining("MCP server 'files' is FAILED");
		assertThat(told.ready()).isCompletedExceptionally();
		assertThat(told.startNow()).isFalse();
	}

	@Test
	void callerOfAServerStoppedOnPurposeIsRefusedAndDoesNotStartIt() {
		ReadyAdmission.Admission told = this.admission.admit(ServerState.STOPPED, true, true, TIMEOUT, "tools/list");
		assertThat(told.refusal()).isInstanceOf(McpStdioRefusedException.class).hasMessageContaining("is stopped");
		assertThat(told.startNow()).isFalse();
	}

	@Test
	void callerThatWouldGiveUpBeforeTheNextStartIsRefusedAtOnce() {
		this.restarts.afterExitUnlessStopComing(3, false, this.restarted::incrementAndGet);
		ReadyAdmission.Admission told = this.admission.admit(ServerState.BACKOFF, false, true, TIMEOUT, "tools/list");
		assertThat(told.refusal()).hasMessageContaining("its next start is in 30000 ms");
	}

	@Test
	void callerThatOutwaitsTheBackoffWaitsForTheNextProcess() {
		this.restarts.afterExitUnlessStopComing(3, false, this.restarted::incrementAndGet);
		ReadyAdmission.Admission told = this.admission.admit(ServerState.BACKOFF, false, true, Duration.ofMinutes(1),
				"tools/list");
		assertThat(told.refusal()).isNull();
		assertThat(told.ready()).isNotDone();
		assertThat(told.startNow()).isFalse();
	}

	@Test
	void callerOfAStoppedServerThatStartsOnUseStartsItAndWaits() {
		ReadyAdmission.Admission told = this.admission.admit(ServerState.STOPPED, false, true, TIMEOUT, "tools/list");
		assertThat(told.refusal()).isNull();
		assertThat(told.startNow()).isTrue();
		assertThat(told.ready()).isNotDone();
		this.admission.failStopped();
		assertThat(told.ready()).isCompletedExceptionally();
	}

	@Test
	void callerOfAnEagerServerBeforeTheContextStartedWaitsWithoutStartingIt() {
		ReadyAdmission.Admission told = this.admission.admit(ServerState.STOPPED, false, false, TIMEOUT, "tools/list");
		assertThat(told.refusal()).isNull();
		assertThat(told.startNow()).isFalse();
	}

}
