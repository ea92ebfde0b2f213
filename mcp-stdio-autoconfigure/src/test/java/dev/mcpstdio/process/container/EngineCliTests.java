package dev.mcpstdio.process.container;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Commands of an engine's CLI, run with fake engines: what counts as an answer, and what
 * is left of a CLI that does not give one in time.
 */
@EnabledOnOs(OS.LINUX)
class EngineCliTests {

	@TempDir
	Path dir;

	@Test
	void globalOptionsComeBeforeTheCommandAndItsOutputIsTheAnswer() throws Exception {
		EngineCli cli = cli("""
				echo "$@"
				""");
		assertThat(cli.run(List.of("ps", "-q"), Duration.ofSeconds(10))).hasValueSatisfying((result) -> {
			assertThat(result.succeeded()).isTrue();
			assertThat(result.lines()).containsExactly("--root /srv/store ps -q");
		});
	}

	@Test
	void whatTheCliPrintsOnStderrIsNoPartOfTheAnswer() throws Exception {
		EngineCli cli = cli("""
				echo "Emulate Docker CLI using podman." >&2
				echo abc123
				""");
		assertThat(cli.run(List.of("ps", "-q"), Duration.ofSeconds(10))).hasValueSatisfying((result) -> {
			assertThat(result.lines()).containsExactly("abc123");
			assertThat(result.errors()).isEqualTo("Emulate Docker CLI using podman.");
		});
	}

	@Test
	void commandThatDoesNotAnswerInTimeIsNoAnswerAndIsKilled() throws Exception {
		EngineCli cli = cli("""
				echo $$ > '%s'
				exec sleep 60
				""".formatted(this.dir.resolve("pid")));
		assertThat(cli.run(List.of("ps", "-q"), Duration.ofSeconds(2))).isEmpty();
		ProcessHandle hung = ProcessHandle.of(Long.parseLong(Files.readString(this.dir.resolve("pid")).trim()))
			.orElse(null);
		if (hung != null) {
			await().atMost(Duration.ofSeconds(10)).until(() -> !hung.isAlive());
		}
	}

	@Test
	void variablesThatChooseTheEngineAreTheOnesPassedOn() {
		assertThat(List.of("DOCKER_HOST", "DOCKER_CONTEXT", "CONTAINER_HOST", "CONTAINERS_STORAGE_CONF",
				"CONTAINERD_ADDRESS", "XDG_RUNTIME_DIR", "XDG_DATA_HOME", "HOME", "STORAGE_DRIVER"))
			.allMatch(EngineCli::isEngineVariable);
		assertThat(List.of("PATH", "API_KEY", "MY_DOCKER_HOST", "HOMEPAGE")).noneMatch(EngineCli::isEngineVariable);
	}

	private EngineCli cli(String script) throws Exception {
		Path engine = this.dir.resolve("engine");
		Files.writeString(engine, "#!/bin/sh\n" + script);
		Files.setPosixFilePermissions(engine, PosixFilePermissions.fromString("rwx------"));
		return new EngineCli(ContainerEngine.DOCKER, engine, List.of("--root", "/srv/store"),
				Map.of("PATH", System.getenv("PATH")));
	}

}
