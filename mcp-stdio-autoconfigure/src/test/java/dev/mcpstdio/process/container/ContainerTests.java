package dev.mcpstdio.process.container;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;

import dev.mcpstdio.fixture.Podman;
import dev.mcpstdio.process.ManagedProcess;
import dev.mcpstdio.process.ProcessLauncher;
import dev.mcpstdio.process.ProcessSpec;
import dev.mcpstdio.process.StopReport;
import dev.mcpstdio.process.StopStep;
import dev.mcpstdio.process.StopTimeouts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * A server in a real container (podman): the stop ladder ends with the container gone, a
 * crash of the engine's CLI leaves no container once stopped, and the guardian removes
 * the containers of a JVM killed outright.
 */
@EnabledOnOs(OS.LINUX)
class ContainerTests {

	private static final StopTimeouts TIMEOUTS = new StopTimeouts(Duration.ofMillis(500), Duration.ofMillis(500));

	/** Far past the stop's bound: only a stop that hangs takes this long. */
	private static final Duration HUNG = Duration.ofSeconds(30);

	@TempDir
	Path ledger;

	@BeforeEach
	void podman() {
		Podman.assumeAvailable();
	}

	@AfterAll
	static void removeContainers() {
		Podman.removeAll();
	}

	@Test
	void stopOfAContainerThatIgnoresEofAndSigtermRemovesItWithinTheBound() throws Exception {
		ManagedProcess process = ProcessLauncher.shared()
			.launch(Podman.python("stubborn", "--ignore-term", "--ignore-eof").build());
		Container container = process.container().orElseThrow();
		awaitServing(process);
		assertThat(container.engine()).isEqualTo(ContainerEngine.PODMAN);
		assertThat(container.id()).isPresent();
		assertThat(containersOf(container)).containsExactly(container.id().get());
		StopReport report = stop(process);
		System.out.printf("container stop: %s, %d ms (bound %d ms)%n", report.step(), report.duration().toMillis(),
				TIMEOUTS.bound().toMillis());
		assertStoppedByTheLadderAndRemovedWithinItsBound(report, container);
	}

	@Test
	void crashOfTheEngineCliLeavesTheContainerRunningUntilTheStopRemovesIt() throws Exception {
		ManagedProcess process = ProcessLauncher.shared()
			.launch(Podman.python("crashing-cli", "--ignore-term", "--ignore-eof").build());
		Container container = process.container().orElseThrow();
		awaitServing(process);
		process.handle().destroyForcibly();
		process.onExit().join();
		// the engine keeps a container whose CLI is gone, running
		assertThat(Podman.runningContainers(Container.RUN_LABEL + "=" + container.runToken()))
			.containsExactly(container.id().orElseThrow());
		StopReport report = process.stop(TIMEOUTS);
		assertThat(report.step()).isEqualTo(StopStep.ALREADY_EXITED);
		assertThat(containersOf(container)).isEmpty();
	}

	@Test
	void stopOfAContainerRunThroughPodmansDockerShimRemovesItWithinTheBound() throws Exception {
		// podman-docker's docker: a script that says so on stderr and execs podman,
		// whose rm -f waits 10 s unless given -t 0
		Path docker = this.ledger.resolve("docker");
		Files.writeString(docker,
				"#!/bin/sh\necho 'Emulate Docker CLI using podman.' >&2\nexec '" + Podman.executable() + "' \"$@\"\n");
		Files.setPosixFilePermissions(docker, PosixFilePermissions.fromString("rwx------"));
		ManagedProcess process = ProcessLauncher.shared()
			.launch(ProcessSpec
				.command("shimmed", docker.toString(), Podman.pythonArgs("--ignore-term", "--ignore-eof"))
				.build());
		Container container = process.container().orElseThrow();
		awaitServing(process);
		assertThat(container.engine()).isEqualTo(ContainerEngine.DOCKER);
		StopReport report = stop(process);
		assertStoppedByTheLadderAndRemovedWithinItsBound(report, container);
	}

	@Test
	void killOfTheJvmWithSigkillRemovesItsContainers() throws Exception {
		String token = ContainerGuardDemo.runAndKill(this.ledger, "all");
		long killed = System.nanoTime();
		await().atMost(HUNG)
			.pollInterval(Duration.ofMillis(50))
			.until(() -> Podman.containers(Container.RUN_LABEL + "=" + token).isEmpty());
		System.out.printf("container guard: container gone %d ms after SIGKILL of its JVM%n",
				Duration.ofNanos(System.nanoTime() - killed).toMillis());
	}

	/**
	 * Stops with {@link #TIMEOUTS}: every wait of the ladder, the container's removal
	 * included, has its deadline, so a stop that does not return long after them hangs.
	 */
	private static StopReport stop(ManagedProcess process) {
		return assertTimeoutPreemptively(HUNG, () -> process.stop(TIMEOUTS));
	}

	/**
	 * The ladder's steps, one after the other, and the container gone: the stop removes
	 * it within what is left of the stop's bound, and counts it removed only where the
	 * engine listed it gone before that deadline.
	 */
	private static void assertStoppedByTheLadderAndRemovedWithinItsBound(StopReport report, Container container) {
		assertThat(report.step()).isEqualTo(StopStep.SIGKILL);
		assertThat(report.duration()).isGreaterThanOrEqualTo(TIMEOUTS.eof().plus(TIMEOUTS.term()));
		assertThat(container.removed()).as("removal confirmed within the bound").isTrue();
		assertThat(containersOf(container)).isEmpty();
	}

	static java.util.List<String> containersOf(Container container) {
		return Podman.containers(Container.RUN_LABEL + "=" + container.runToken());
	}

	/** Sends initialize and reads the answer: the server runs, its handlers installed. */
	static void awaitServing(ManagedProcess process) throws IOException {
		OutputStream stdin = process.stdin();
		stdin.write(("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
				+ "\"2025-06-18\"}}\n")
			.getBytes(StandardCharsets.UTF_8));
		stdin.flush();
		String line = new BufferedReader(new InputStreamReader(process.stdout(), StandardCharsets.UTF_8)).readLine();
		if (line == null || !line.contains("\"id\": 1")) {
			throw new IOException("the server in the container did not answer initialize: " + line);
		}
	}

}
