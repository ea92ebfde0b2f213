package dev.mcpstdio.process.platform;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code waitpid} through {@code java.lang.foreign}, on a child of this JVM; reaping a
 * real orphan is in {@code orphan.Pid1ReaperTests}.
 */
class ForeignWaitpidTests {

	@Test
	void isAbsentBeforeJava22() {
		assumeTrue(Runtime.version().feature() < 22, "Java 22 and later have the foreign function API");
		assertThat(ForeignWaitpid.load()).isEmpty();
	}

	@Test
	@EnabledOnOs(OS.LINUX)
	void onJava22AndLaterReapsAnExitedChildOnce() {
		assumeTrue(Runtime.version().feature() >= 22, "java.lang.foreign is final from Java 22");
		UnwaitedChild.assertReapedOnce(ForeignWaitpid.load().orElseThrow());
	}

	@Test
	@EnabledOnOs(OS.LINUX)
	void onJava22AndLaterReapsNothingThatIsNotAnExitedChild() throws Exception {
		assumeTrue(Runtime.version().feature() >= 22, "java.lang.foreign is final from Java 22");
		Waitpid waitpid = ForeignWaitpid.load().orElseThrow();
		assertThat(waitpid.via()).isEqualTo("Java's foreign function API");
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
