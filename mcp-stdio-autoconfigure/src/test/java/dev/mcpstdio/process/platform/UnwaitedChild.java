package dev.mcpstdio.process.platform;

import java.time.Duration;

import com.sun.jna.Memory;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import com.sun.jna.StringArray;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A child of this JVM that the JDK did not spawn, and so never waits for: started with
 * {@code posix_spawnp} through JNA (on the test class path), it stays a zombie once it
 * exits until a {@link Waitpid} reaps it.
 */
final class UnwaitedChild {

	private UnwaitedChild() {
	}

	/**
	 * Starts {@code true}, which exits at once, and waits until it has: a zombie child of
	 * this JVM.
	 * @return its pid
	 */
	static long exited() {
		Memory pid = new Memory(Integer.BYTES);
		// no file actions, no attributes; argv and envp end with NULL
		int error = NativeLibrary.getProcess()
			.getFunction("posix_spawnp")
			.invokeInt(new Object[] { pid, "true", Pointer.NULL, Pointer.NULL, new StringArray(new String[] { "true" }),
					new StringArray(new String[0]) });
		assertThat(error).as("posix_spawnp's error").isZero();
		long child = pid.getInt(0);
		await().atMost(Duration.ofSeconds(30))
			.until(() -> ProcessTree.stat(child).map(ProcessTree.Stat::zombie).orElse(false));
		assertThat(ProcessTree.stat(child)).hasValueSatisfying(
				(stat) -> assertThat(stat.parentId()).as("its parent").isEqualTo(ProcessHandle.current().pid()));
		return child;
	}

	/**
	 * Asserts that the waitpid reaps an exited child of this JVM once: its zombie gone, a
	 * second reap finding nothing.
	 */
	static void assertReapedOnce(Waitpid waitpid) {
		long child = UnwaitedChild.exited();
		try {
			assertThat(waitpid.reap(child)).as("an exited child").isTrue();
			assertThat(UnwaitedChild.listed(child)).as("its zombie").isFalse();
			assertThat(waitpid.reap(child)).as("reaped already").isFalse();
		}
		finally {
			waitpid.reap(child);
		}
	}

	/** Whether a process is still in the process table, a zombie included. */
	static boolean listed(long pid) {
		return ProcessTree.stat(pid).isPresent();
	}

}
