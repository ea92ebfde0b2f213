package dev.mcpstdio.process.container;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A {@code docker} that is really podman (podman-docker's script, or a link) removes its
 * containers with podman's {@code -t 0}; a real docker as docker does. Fake engines
 * record the arguments they are called with.
 */
@EnabledOnOs(OS.LINUX)
class PodmanShimTests {

	@TempDir
	Path dir;

	@Test
	void removalThroughADockerScriptThatExecsPodmanSkipsPodmansGracePeriod() throws Exception {
		Path log = this.dir.resolve("calls.log");
		Path podman = script("podman", "echo \"$@\" >> '" + log + "'\n");
		// what podman-docker installs as /usr/bin/docker, its notice on stderr included
		Path docker = script("docker", """
				[ -e /etc/containers/nodocker ] || \\
				echo "Emulate Docker CLI using podman. Create /etc/containers/nodocker to quiet msg." >&2
				exec %s "$@"
				""".formatted(podman));
		assertThat(removeThrough(docker)).isTrue();
		assertThat(Files.readAllLines(log)).containsExactly("rm -f -t 0 mcp-stdio-files-1",
				"ps -a -q --no-trunc --filter label=dev.mcpstdio.run=run-1");
	}

	@Test
	void dockerThatIsALinkToPodmanIsPodman() throws Exception {
		Path podman = script("podman", "exit 0\n");
		Path docker = Files.createSymbolicLink(this.dir.resolve("docker"), podman);
		EngineCli cli = cli(docker);
		assertThat(cli.removalEngine()).isEqualTo(ContainerEngine.PODMAN);
		assertThat(cli.removeArguments(List.of("a"))).containsExactly("rm", "-f", "-t", "0", "a");
		assertThat(cli.engine()).isEqualTo(ContainerEngine.DOCKER);
	}

	@Test
	void dockerThatIsDockerRemovesAsDockerDoes() throws Exception {
		Path log = this.dir.resolve("calls.log");
		Path real = script("docker-real", "echo \"$@\" >> '" + log + "'\n");
		// a wrapper that mentions podman but execs another engine
		Path docker = script("docker", """
				# not podman: see podman-docker for that
				exec %s "$@"
				""".formatted(real));
		assertThat(removeThrough(docker)).isTrue();
		assertThat(Files.readAllLines(log)).containsExactly("rm -f mcp-stdio-files-1",
				"ps -a -q --no-trunc --filter label=dev.mcpstdio.run=run-1");
	}

	@Test
	void executableThatCannotBeReadIsTakenForWhatItsNameSays() {
		EngineCli cli = cli(this.dir.resolve("no-such-docker"));
		assertThat(cli.removalEngine()).isEqualTo(ContainerEngine.DOCKER);
	}

	private boolean removeThrough(Path docker) {
		ContainerReaper reaper = new ContainerReaper(Clock.systemUTC(), ContainerReaper.Sleeper.REAL,
				ContainerOwner.current());
		Container container = new Container(reaper, cli(docker), "run-1", "mcp-stdio-files-1", null);
		return reaper.remove(container, Duration.ofSeconds(10));
	}

	private static EngineCli cli(Path docker) {
		return new EngineCli(ContainerEngine.DOCKER, docker, List.of(), Map.of("PATH", System.getenv("PATH")));
	}

	private Path script(String name, String body) throws Exception {
		Path script = this.dir.resolve(name);
		Files.writeString(script, "#!/bin/sh\n" + body);
		Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
		return script;
	}

}
