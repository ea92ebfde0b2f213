package dev.mcpstdio.sample;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hang this project exists to end: a CLI that makes one tool call, with a stubborn
 * server configured, exits with status 0 and leaves no process behind.
 */
class CliModeTests {

	@Test
	@EnabledOnOs(OS.LINUX)
	void cliCallsOneToolPrintsTheResultAndExitsWithNoChildLeft() throws Exception {
		String marker = "-Dsample.run=" + UUID.randomUUID();
		long grandchildSeconds = 3_000_000 + ThreadLocalRandom.current().nextLong(1_000_000);
		List<String> command = new ArrayList<>(
				List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
						System.getProperty("java.class.path"), SampleApplication.class.getName(),
						"--spring.profiles.active=cli", "--server=demo", "--tool=add", "--args={\"a\":2,\"b\":3}",
						"--mcp.stdio.servers.demo.java.jvm-args=-Xmx64m," + marker,
						"--mcp.stdio.servers.stubborn.java.jvm-args=-Xmx32m," + marker,
						"--mcp.stdio.servers.stubborn.args=--grandchild-seconds=" + grandchildSeconds));
		Path output = Files.createTempFile("cli", ".out");
		long started = System.nanoTime();
		Process cli = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
		try {
			assertThat(cli.waitFor(120, TimeUnit.SECONDS)).as("the CLI returns").isTrue();
			Duration took = Duration.ofNanos(System.nanoTime() - started);
			String printed = Files.readString(output, StandardCharsets.UTF_8);
			assertThat(cli.exitValue()).as(printed).isZero();
			assertThat(printed.lines()).as(printed).contains("5");
			assertThat(Processes.with(marker)).isEmpty();
			assertThat(Processes.with("sleep " + grandchildSeconds)).isEmpty();
			System.out.printf("CLI with a stubborn server: one tool call, exit 0, no child left, %d ms in all%n",
					took.toMillis());
		}
		finally {
			cli.destroyForcibly();
		}
	}

}
