package dev.mcpstdio.server;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import dev.mcpstdio.transport.McpStdioRefusedException;
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
	void openAfterAnotherProcessGivesTheNewOne() {
		this.gate.open("first process");
		String next = "second process";
		this.gate.open(next);
		assertThat(this.gate.await()).isCompletedWithValue(next);
	}

}
