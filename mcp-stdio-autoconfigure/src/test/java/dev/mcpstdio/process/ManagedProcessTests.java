package dev.mcpstdio.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import dev.mcpstdio.fixture.Fixtures;
import dev.mcpstdio.process.platform.Platform;
import dev.mcpstdio.process.platform.ProcessTree;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * The stop ladder against real fixture processes, with real (short) timeouts.
 */
class ManagedProcessTests {

	private static final StopTimeouts TIMEOUTS = new StopTimeouts(Duration.ofMillis(600), Duration.ofMillis(600));

	/** Far past any step's timeout: only a stop that hangs takes this long. */
	private static final Duration HUNG = Duration.ofSeconds(30);

	private final ProcessLauncher launcher = ProcessLauncher.shared();

	private final List<ProcessHandle> started = new ArrayList<>();

	@AfterEach
	void killLeftovers() {
		this.started.forEach(ProcessHandle::destroyForcibly);
	}

	@Test
	void stopWhenChildExitsOnEofEndsAtEof() throws Exception {
		ManagedProcess process = launch(Fixtures.spec("well"));
		// a JVM still starting on a busy machine may need more than 600 ms to see its EOF
		StopReport report = process.stop(new StopTimeouts(Duration.ofSeconds(20), TIMEOUTS.term()));
		assertThat(report.step()).isEqualTo(StopStep.EOF);
		assertThat(report.exitCode()).isZero();
		assertGone(process);
		log("well-behaved", report);
	}

	@Test
	void stopWhenChildIgnoresEofSendsSigterm() throws Exception {
		ManagedProcess process = launch(Fixtures.spec("no-eof", "--ignore-eof"));
		// as long as a busy machine may need for a JVM to exit on SIGTERM: it is not
		// waited out
		StopReport report = stop(process, new StopTimeouts(TIMEOUTS.eof(), Duration.ofSeconds(20)));
		assertThat(report.step()).isEqualTo(StopStep.SIGTERM);
		// SIGTERM only once the EOF timeout had passed
		assertThat(report.duration()).isGreaterThanOrEqualTo(TIMEOUTS.eof());
		assertGone(process);
		log("ignores EOF", report);
	}

	@Test
	void stopWhenChildIgnoresSigtermSendsSigkill() throws Exception {
		ManagedProcess process = launch(Fixtures.spec("no-term", "--ignore-eof", "--ignore-term"));
		Fixtures.awaitStarted(process.stderr()); // SIGTERM is ignored from then on
		StopReport report = stop(process, TIMEOUTS);
		assertThat(report.step()).isEqualTo(StopStep.SIGKILL);
		assertThat(report.exitCode()).isEqualTo(137);
		// SIGKILL only once the EOF and SIGTERM timeouts had passed, one after the other
		assertThat(report.duration()).isGreaterThanOrEqualTo(TIMEOUTS.eof().plus(TIMEOUTS.term()));
		assertThat(report.survivors()).isZero();
		assertGone(process);
		log("ignores EOF and SIGTERM", report);
	}

	@Test
	void stopWhenGrandchildHoldsStdoutKillsTheWholeTree() throws Exception {
		ManagedProcess process = launch(Fixtures.stubborn("stubborn"));
		Set<ProcessHandle> tree = awaitDescendant(process);
		StopReport report = stop(process, TIMEOUTS);
		assertThat(report.step()).isEqualTo(StopStep.SIGKILL);
		assertThat(report.survivors()).isZero();
		assertThat(report.duration()).isGreaterThanOrEqualTo(TIMEOUTS.eof().plus(TIMEOUTS.term()));
		assertThat(tree).noneMatch(ProcessTree::isRunning);
		// nothing holds the pipes any more: stdout reaches its end
		assertThat(process.stdout().readAllBytes()).isEmpty();
		log("stubborn with grandchild", report);
	}

	@Test
	void stopWhenChildExitedButOrphanedGrandchildHoldsStdoutKillsTheGrandchild() throws Exception {
		// exits at EOF, leaving a grandchild that ignores SIGTERM in its process group
		ManagedProcess process = launch(Fixtures.spec("orphaner", "--grandchild"));
		Set<ProcessHandle> tree = awaitDescendant(process);
		StopReport report = process.stop(TIMEOUTS);
		assertThat(report.step()).isEqualTo(StopStep.SIGKILL);
		assertThat(tree).noneMatch(ProcessTree::isRunning);
		log("exits at EOF, orphans a grandchild", report);
	}

	@Test
	void stopOfExitedChildReportsAlreadyExited() throws Exception {
		ManagedProcess process = launch(Fixtures.spec("early", "--exit-after-initialize=4"));
		process.stdin()
			.write("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\"}\n".getBytes(StandardCharsets.UTF_8));
		process.stdin().flush();
		process.onExit().get();
		StopReport report = process.stop(TIMEOUTS);
		assertThat(report.step()).isEqualTo(StopStep.ALREADY_EXITED);
		assertThat(report.exitCode()).isEqualTo(4);
	}

	@Test
	void launchOfUnknownCommandNamesServerAndFix() {
		ProcessSpec spec = ProcessSpec.command("ghost", "no-such-command-mcp-stdio", List.of("--token=abc123")).build();
		org.assertj.core.api.Assertions.assertThatExceptionOfType(ProcessLaunchException.class)
			.isThrownBy(() -> this.launcher.launch(spec))
			.withMessageContaining("MCP server 'ghost'")
			.withMessageContaining("'no-such-command-mcp-stdio' was not found on PATH")
			.withMessageContaining("Set command to an absolute path")
			.satisfies((ex) -> assertThat(ex.getCommand()).containsExactly("no-such-command-mcp-stdio",
					"--token=" + SecretMasking.MASK));
	}

	@Test
	void launchWithMissingWorkingDirectoryNamesServerAndDirectory() {
		ProcessSpec spec = ProcessSpec.command("lost", "sh", List.of("-c", "true"))
			.workingDirectory(java.nio.file.Path.of("/no/such/dir"))
			.build();
		org.assertj.core.api.Assertions.assertThatExceptionOfType(ProcessLaunchException.class)
			.isThrownBy(() -> this.launcher.launch(spec))
			.withMessageContaining("MCP server 'lost'")
			.withMessageContaining("working-directory /no/such/dir does not exist");
	}

	@Test
	void launchPassesEnvAndWorkingDirectoryWithoutShell() throws Exception {
		java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("mcp-stdio-wd");
		ProcessSpec spec = ProcessSpec
			.command("env", "sh", List.of("-c", "pwd; echo \"$GREETING\"; echo \"$HOME\"", "$HOME"))
			.env(java.util.Map.of("GREETING", "hello; rm -rf /"))
			.inheritEnv(InheritEnv.NONE)
			.workingDirectory(dir)
			.build();
		ManagedProcess process = launch(spec);
		String output = new String(process.stdout().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(output.lines().toList()).containsExactly(dir.toRealPath().toString(), "hello; rm -rf /", "");
		process.stop(TIMEOUTS);
	}

	@Test
	void secretOfTheApplicationsEnvironmentReachesOnlyAServerThatAsksForIt() throws Exception {
		// the build sets MCP_STDIO_TEST_SECRET and LC_MCP_STDIO_TEST in this JVM's
		// environment
		assertThat(System.getenv("MCP_STDIO_TEST_SECRET")).isNotBlank();
		assertThat(childEnvironment(ProcessSpec.command("default", "env", List.of()).build()))
			.contains("LC_MCP_STDIO_TEST=kept-by-minimal")
			.anyMatch((line) -> line.startsWith("PATH="))
			.noneMatch((line) -> line.startsWith("MCP_STDIO_TEST_SECRET="));
		assertThat(childEnvironment(
				ProcessSpec.command("asked", "env", List.of()).passEnv(List.of("MCP_STDIO_TEST_*")).build()))
			.contains("MCP_STDIO_TEST_SECRET=db-password-in-the-jvm-environment");
		assertThat(childEnvironment(ProcessSpec.command("all", "env", List.of()).inheritEnv(InheritEnv.ALL).build()))
			.contains("MCP_STDIO_TEST_SECRET=db-password-in-the-jvm-environment");
	}

	@Test
	void childThatInheritsNothingStillCarriesTheOrphanGuardsToken() throws Exception {
		assertThat(childEnvironment(ProcessSpec.command("bare", "env", List.of()).inheritEnv(InheritEnv.NONE).build()))
			.anyMatch((line) -> line.startsWith("MCP_STDIO_LEDGER="))
			.noneMatch((line) -> line.startsWith("PATH="));
	}

	private List<String> childEnvironment(ProcessSpec spec) throws Exception {
		ManagedProcess process = launch(spec);
		String output = new String(process.stdout().readAllBytes(), StandardCharsets.UTF_8);
		process.stop(TIMEOUTS);
		return output.lines().toList();
	}

	@Test
	void childRunsInProcessGroupOfItsOwnOnLinux() {
		org.junit.jupiter.api.Assumptions.assumeTrue(Platform.isLinux());
		ManagedProcess process = launch(Fixtures.spec("group"));
		// setsid runs in the child just after the spawn returns
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(ProcessTree.stat(process.pid()))
				.hasValueSatisfying((stat) -> assertThat(stat.groupId()).isEqualTo(process.pid())));
		process.stop(new StopTimeouts(Duration.ofSeconds(20), TIMEOUTS.term()));
	}

	/**
	 * Stops: every wait of the ladder has its deadline, so a stop that does not return
	 * long after them hangs.
	 */
	private static StopReport stop(ManagedProcess process, StopTimeouts timeouts) {
		return assertTimeoutPreemptively(HUNG.plus(timeouts.bound()), () -> process.stop(timeouts));
	}

	private ManagedProcess launch(ProcessSpec spec) {
		ManagedProcess process = this.launcher.launch(spec);
		this.started.add(process.handle());
		return process;
	}

	private Set<ProcessHandle> awaitDescendant(ManagedProcess process) {
		await().atMost(Duration.ofSeconds(20)).until(() -> process.handle().descendants().findAny().isPresent());
		Set<ProcessHandle> tree = ProcessTree.collect(Set.of(process.handle()), process.groupId());
		this.started.addAll(tree);
		assertThat(tree).hasSizeGreaterThanOrEqualTo(2);
		return tree;
	}

	private static void assertGone(ManagedProcess process) {
		assertThat(process.isAlive()).isFalse();
		assertThat(ProcessTree.groupMembers(process.pid())).isEmpty();
	}

	private static void log(String fixture, StopReport report) throws IOException {
		System.out.printf("stop %-36s step %-8s %5d ms%n", fixture, report.step(), report.duration().toMillis());
	}

}
