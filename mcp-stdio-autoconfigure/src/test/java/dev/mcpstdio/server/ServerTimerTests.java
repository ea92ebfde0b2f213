package dev.mcpstdio.server;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ServerTimerTests {

	private final FakeTime time = new FakeTime();

	private final List<String> ran = new ArrayList<>();

	@Test
	void twoTimersNeverCancelEachOther() {
		ServerTimer idle = new ServerTimer(this.time);
		ServerTimer backoff = new ServerTimer(this.time);
		idle.schedule(Duration.ofSeconds(10), () -> this.ran.add("idle"));
		backoff.schedule(Duration.ofSeconds(5), () -> this.ran.add("backoff"));
		idle.cancel();
		idle.schedule(Duration.ofSeconds(1), () -> this.ran.add("idle again"));
		this.time.advance(Duration.ofSeconds(20));
		assertThat(this.ran).containsExactly("idle again", "backoff");
	}

	@Test
	void schedulingReplacesThePendingTask() {
		ServerTimer timer = new ServerTimer(this.time);
		timer.schedule(Duration.ofSeconds(1), () -> this.ran.add("first"));
		timer.schedule(Duration.ofSeconds(2), () -> this.ran.add("second"));
		this.time.advance(Duration.ofSeconds(5));
		assertThat(this.ran).containsExactly("second");
	}

	@Test
	void cancelStopsThePendingTask() {
		ServerTimer timer = new ServerTimer(this.time);
		timer.schedule(Duration.ofSeconds(1), () -> this.ran.add("cancelled"));
		timer.cancel();
		assertThat(this.time.pending()).isZero();
		this.time.advance(Duration.ofSeconds(5));
		assertThat(this.ran).isEmpty();
	}

}
