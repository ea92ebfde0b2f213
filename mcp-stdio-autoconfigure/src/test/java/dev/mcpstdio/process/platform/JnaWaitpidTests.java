package dev.mcpstdio.process.platform;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code waitpid} through JNA (on the test class path), on a child of this JVM; reaping a
 * real orphan is in {@code orphan.Pid1ReaperTests}.
 */
class JnaWaitpidTests {

	@Test
	@EnabledOnOs(OS.LINUX)
	void reapsAnExitedChildOnce() {
		UnwaitedChild.assertReapedOnce(JnaWaitpid.load().orElseThrow());
	}

	@Test
	@EnabledOnOs(OS.LINUX)
	void reapsNothingThatIsNotAnExitedChild() throws Exception {
		Waitpid waitpid = JnaWaitpid.load().orElseThrow();
		assertThat(waitpid.via()).isEqualTo("JNA");
		Process child = new ProcessBuilder("sleep", "30").start();
		try {
			assertThat(waitpid.reap(child.pid())).as("a running child").isFalse();
			assertThat(waitpid.reap(ProcessHandle.current().parent().orElseThrow().pid())).as("not a child").isFalse();
		}
		finally {
			child.destroyForcibly().waitFor();
		}
	}

}
