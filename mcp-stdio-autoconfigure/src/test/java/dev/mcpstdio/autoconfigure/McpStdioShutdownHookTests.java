package dev.mcpstdio.autoconfigure;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import dev.mcpstdio.fixture.Fixtures;
import dev.mcpstdio.process.JavaCommand;
import dev.mcpstdio.process.platform.ProcessTree;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A CLI that calls {@code System.exit} without closing its context, and without the
 * context's shutdown hook, still leaves no child behind and exits promptly.
 */
class McpStdioShutdownHookTests {

	@Test
	void systemExitWithoutContextCloseStopsEveryChild() throws Exception {
		List<String> command = new ArrayList<>(List.of(JavaCommand.javaExecutable()));
		command.addAll(Fixtures.JVM_ARGS);
		command.addAll(List.of("-cp", System.getProperty("java.class.path"), ShutdownHookDemo.class.getName()));
		Process demo = new ProcessBuilder(command).redirectErrorStream(true).start();
		List<ProcessHandle> tree = List.of();
		try {
			BufferedReader out = new BufferedReader(
					new InputStreamReader(demo.getInputStream(), StandardCharsets.UTF_8));
			String line;
			StringBuilder log = new StringBuilder();
			while ((line = out.readLine()) != null && !line.startsWith("pids ")) {
				log.append(line).append('\n');
			}
			assertThat(line).as("the demo's pids; its output:%n%s", log).isNotNull();
			tree = Arrays.stream(line.substring(5).split(" "))
				.map(Long::parseLong)
				.map(ProcessHandle::of)
				.flatMap(Optional::stream)
				.toList();
			assertThat(tree).hasSize(2);
			long exiting = System.nanoTime();
			StringBuilder exit = new StringBuilder();
			while ((line = out.readLine()) != null) {
				exit.append(line).append('\n');
			}
			// every wait of the ladder has its deadline: a JVM not gone long after them
			// hangs
			assertThat(demo.waitFor(30, TimeUnit.SECONDS)).as("the JVM exits").isTrue();
			Duration took = Duration.ofNanos(System.nanoTime() - exiting);
			assertThat(demo.exitValue()).isZero();
			assertThat(tree).noneMatch(ProcessTree::isRunning);
			// the hook ran the ladder to its last step before the JVM was gone
			assertThat(exit).as("the demo's output after the exit began")
				.containsPattern("MCP server 'stubborn' stopped: pid \\d+, SIGKILL after")
				.doesNotContain("survived SIGKILL");
			System.out.printf("System.exit with a stubborn server and no context close: JVM gone in %d ms%n",
					took.toMillis());
		}
		finally {
			demo.destroyForcibly();
			tree.forEach(ProcessHandle::destroyForcibly);
		}
	}

}
