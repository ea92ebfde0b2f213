package dev.mcpstdio.process.orphan;

import java.nio.file.Path;
import java.util.List;

import dev.mcpstdio.process.platform.Platform;
import dev.mcpstdio.fixture.Required;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A JVM that is PID 1, run with the class path of an application that depends on the
 * starter alone (this module's tests add nothing that brings JNA): it reaps its orphans
 * on every JDK the starter supports.
 */
class StarterPid1Tests {

	private static final int CRASHES = 3;

	@TempDir
	Path ledger;

	@Test
	void starterBringsJnaForJava17To21() {
		assertThat(Platform.jnaWaitpid()).as("waitpid through JNA, from the starter's dependencies").isPresent();
	}

	@Test
	@EnabledOnOs(OS.LINUX)
	void jvmAsPid1WithTheStarterAloneLeavesNoZombie() throws Exception {
		Required.assumeOrFail(Pid1Demo.namespacesAvailable(), "MCP_STDIO_REQUIRE_NAMESPACES",
				"'unshare --pid --fork --mount-proc' is not available here: the JVM cannot be run as PID 1");
		List<String> output = Pid1Demo.run("auto", CRASHES, this.ledger);
		System.out.println(
				"pid1 demo with the starter (Java " + Runtime.version().feature() + "): " + String.join(" | ", output));
		String via = (Runtime.version().feature() >= 22) ? "(through Java's foreign function API)" : "(through JNA)";
		assertThat(output).contains("pid 1", "orphans exited " + CRASHES, "zombies 0")
			.anyMatch((line) -> line.contains("mcp-stdio reaps them") && line.contains(via));
	}

}
