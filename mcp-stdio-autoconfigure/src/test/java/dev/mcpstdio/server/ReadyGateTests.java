package dev.mcpstdio.server;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import dev.mcpstdio.transport.error.McpStdioRefusedException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ReadyGateTests {

	private final ReadyGate<String> gate = new ReadyGate<>();

	@Test
	void waitersGetTheProcessOnceOpenAndLaterCallersWaitAfterClose() {
		CompletableFuture<String> waiter = this.gate.await();
		assertThat(waiter).isNotDone();
		String process = "first process";
		this.gate.open(process);
		assertThat(waiter).isCompletedWithValue(process);
		assertThat(this.gate.await()).isCompletedWithValue(process);
		this.gate.close();
		assertThat(this.gate.await()).isNotDone();
	}

	@Test
	void failTellsEveryWaiterAndLeavesTheGateClosed() {
		CompletableFuture<String> waiter = this.gate.await();
		this.gate.fail(new McpStdioRefusedException("x", "MCP server 'x' was stopped", null, List.of()));
		assertThat(waiter).isCompletedExceptionally();
		assertThat(this.gate.await()).isNotDone();
	}

	@Test
	void waiterWhoseDeadlineComesBeforeTheNextProcessIsToldAtOnceTheOthersWait() {
		Instant now = Instant.parse("2026-11-30T12:00:00Z");
		CompletableFuture<String> impatient = this.gate.await(now.plusSeconds(5), this::tooLate);
		CompletableFuture<String> patient = this.gate.await(now.plusSeconds(60), this::tooLate);
		this.gate.nextAt(now.plusSeconds(30));
		assertThat(impatient).failsWithin(Duration.ZERO)
			.withThrowableThat()
			.havingCause()
			.withMessage("MCP server 'x' starts again at 2026-11-30T12:00:30Z");
		assertThat(patient).isNotDone();
		this.gate.open("next process");
		assertThat(patient).isCompletedWithValue("next process");
	}

	@Test
	void waiterWithADeadlineIsToldOfAFailureAndGetsAnOpenGateAtOnce() {
		Instant now = Instant.parse("2026-11-30T12:00:00Z");
		CompletableFuture<String> waiter = this.gate.await(now.plusSeconds(5), this::tooLate);
		this.gate.fail(new McpStdioRefusedException("x", "MCP server 'x' was stopped", null, List.of()));
		assertThat(waiter).isCompletedExceptionally();
		this.gate.open("process");
		assertThat(this.gate.await(now.plusSeconds(5), this::tooLate)).isCompletedWithValue("process");
	}

	private McpStdioRefusedException tooLate(Instant next) {
		return new McpStdioRefusedException("x", "MCP server 'x' starts again at " + next, null, List.of());
	}

	@Test
	void openAfterAnotherProcessGivesTheNewOne() {
		this.gate.open("first process");
		String next = "second process";
		this.gate.open(next);
		assertThat(this.gate.await()).isCompletedWithValue(next);
	}

}
