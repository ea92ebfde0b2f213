package dev.mcpstdio.process;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Exits of real children, told without the ForkJoin common pool.
 */
@EnabledOnOs(OS.LINUX)
class ExitWatchTests {

	@Test
	void exitIsToldWhileTheCommonPoolIsBusy() throws Exception {
		CountDownLatch release = new CountDownLatch(1);
		CountDownLatch busy = new CountDownLatch(ForkJoinPool.getCommonPoolParallelism());
		List<CompletableFuture<Void>> blockers = new ArrayList<>();
		for (int i = 0; i < ForkJoinPool.getCommonPoolParallelism(); i++) {
			blockers.add(CompletableFuture.runAsync(() -> {
				busy.countDown();
				try {
					release.await();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}, ForkJoinPool.commonPool()));
		}
		Process first = new ProcessBuilder("sleep", "60").start();
		Process second = new ProcessBuilder("sleep", "60").start();
		try {
			assertThat(busy.await(10, TimeUnit.SECONDS)).isTrue();
			CompletableFuture<Process> firstExit = ExitWatch.onExit(first);
			CompletableFuture<Process> secondExit = ExitWatch.onExit(second);
			second.destroyForcibly();
			assertThat(secondExit.get(10, TimeUnit.SECONDS)).isSameAs(second);
			assertThat(firstExit).isNotDone();
			first.destroyForcibly();
			assertThat(firstExit.get(10, TimeUnit.SECONDS)).isSameAs(first);
			// the pool was busy all along
			assertThat(blockers).noneMatch(CompletableFuture::isDone);
		}
		finally {
			release.countDown();
			first.destroyForcibly();
			second.destroyForcibly();
		}
	}

	@Test
	void exitOfAChildThatIsAlreadyGoneIsToldAtOnce() throws Exception {
		Process gone = new ProcessBuilder("true").start();
		gone.waitFor();
		assertThat(ExitWatch.onExit(gone)).isCompletedWithValue(gone);
	}

}
