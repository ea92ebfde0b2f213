package dev.mcpstdio.transport.inflight;

import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The latches of the callers held until their request leaves: opened by id, or all at
 * once.
 */
class CallerLatchesTests {

	private final CallerLatches latches = new CallerLatches();

	@Test
	void releaseOpensTheLatchOfItsIdComparedByTextAndNoOther() {
		CountDownLatch seven = this.latches.watch(7L);
		CountDownLatch eight = this.latches.watch("8");
		this.latches.release(7);
		assertThat(seven.getCount()).isZero();
		assertThat(eight.getCount()).isOne();
	}

	@Test
	void latchOfARequestNeverSentIsForgottenAndNotOpened() {
		CountDownLatch latch = this.latches.watch(1);
		this.latches.unwatch(1);
		this.latches.release(1);
		this.latches.releaseAll();
		assertThat(latch.getCount()).isOne();
	}

	@Test
	void releaseAllOpensEveryLatchAndForgetsThem() {
		CountDownLatch one = this.latches.watch(1);
		CountDownLatch two = this.latches.watch(2);
		this.latches.releaseAll();
		assertThat(one.getCount()).isZero();
		assertThat(two.getCount()).isZero();
		CountDownLatch again = this.latches.watch(1);
		this.latches.release(2);
		assertThat(again.getCount()).as("a new request of the same id waits anew").isOne();
	}

}
