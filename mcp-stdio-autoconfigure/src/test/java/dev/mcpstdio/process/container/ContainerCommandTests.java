package dev.mcpstdio.process.container;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which commands run a container, and where the starter's options go.
 */
class ContainerCommandTests {

	private static final Map<String, String> LABELS = Map.of("dev.mcpstdio.server", "files");

	private static final Path CID = Path.of("/tmp/x/cid");

	@Test
	void engineCliRunningRunIsAContainerCommandByFileName() {
		assertThat(engineOf("docker", "run", "-i", "--rm", "mcp/files")).isEqualTo(ContainerEngine.DOCKER);
		assertThat(engineOf("/usr/bin/podman", "run", "-i", "img")).isEqualTo(ContainerEngine.PODMAN);
		assertThat(engineOf("nerdctl", "run", "img")).isEqualTo(ContainerEngine.NERDCTL);
		assertThat(engineOf("C:\\Program Files\\Docker\\docker.exe", "run", "img")).isEqualTo(ContainerEngine.DOCKER);
	}

	@Test
	void runIsFoundAfterGlobalOptionsAndContainer() {
		assertThat(engineOf("docker", "--context", "remote", "run", "img")).isEqualTo(ContainerEngine.DOCKER);
		assertThat(engineOf("docker", "-H", "tcp://h:2375", "container", "run", "img"))
			.isEqualTo(ContainerEngine.DOCKER);
		assertThat(engineOf("podman", "--log-level=debug", "run", "img")).isEqualTo(ContainerEngine.PODMAN);
	}

	@Test
	void globalOptionsBeforeRunAreKeptForTheStartersOwnCommands() {
		assertThat(globalOptions("docker", "-H", "tcp://h:2375", "container", "run", "-i", "img")).containsExactly("-H",
				"tcp://h:2375");
		assertThat(globalOptions("podman", "--root", "/srv/store", "--log-level=error", "run", "img"))
			.containsExactly("--root", "/srv/store", "--log-level=error");
		assertThat(globalOptions("docker", "run", "--context", "x", "img")).isEmpty();
		assertThat(globalOptions("docker", "--context", "container", "run", "img")).containsExactly("--context",
				"container");
		assertThat(globalOptions("docker", "--context", "container", "container", "run", "img"))
			.containsExactly("--context", "container");
	}

	@Test
	void otherCommandsOfAnEngineOrOtherExecutablesAreNot() {
		assertThat(ContainerCommand.of(List.of("docker", "exec", "-i", "c", "run"), ContainerSettings.DEFAULTS))
			.isEmpty();
		assertThat(ContainerCommand.of(List.of("docker", "compose", "run", "svc"), ContainerSettings.DEFAULTS))
			.isEmpty();
		assertThat(ContainerCommand.of(List.of("npx", "run", "x"), ContainerSettings.DEFAULTS)).isEmpty();
		assertThat(ContainerCommand.of(List.of("/opt/dockerish", "run", "x"), ContainerSettings.DEFAULTS)).isEmpty();
	}

	@Test
	void engineSettingOverridesTheFileNameOrTurnsDetectionOff() {
		assertThat(ContainerCommand.of(List.of("/opt/bin/docker-wrapper", "run", "img"),
				new ContainerSettings(ContainerEngine.DOCKER, true, true)))
			.map(ContainerCommand::engine)
			.hasValue(ContainerEngine.DOCKER);
		assertThat(ContainerCommand.of(List.of("docker", "run", "img"),
				new ContainerSettings(ContainerEngine.NONE, true, true)))
			.isEmpty();
	}

	@Test
	void optionsAreInsertedRightAfterRunAndTheUsersArgumentsStayAsWritten() {
		List<String> rewritten = rewrite(ContainerSettings.DEFAULTS, "docker", "--context", "c", "run", "-i",
				"mcp/files", "--root", "/data");
		assertThat(rewritten).containsExactly("docker", "--context", "c", "run", "--label", "dev.mcpstdio.server=files",
				"--name", "n1", "--cidfile", CID.toString(), "--init", "--rm", "-i", "mcp/files", "--root", "/data");
	}

	@Test
	void rootfsInPlaceOfAnImageKeepsItsPlace() {
		List<String> rewritten = rewrite(ContainerSettings.DEFAULTS, "podman", "run", "-i", "-v", "/usr:/usr:ro",
				"--rootfs", "/tmp/root", "/usr/bin/python3", "s.py");
		assertThat(rewritten.subList(rewritten.indexOf("--rm") + 1, rewritten.size())).containsExactly("-i", "-v",
				"/usr:/usr:ro", "--rootfs", "/tmp/root", "/usr/bin/python3", "s.py");
	}

	@Test
	void initAndRmAreNotAddedTwiceNorWhenTurnedOff() {
		assertThat(rewrite(ContainerSettings.DEFAULTS, "docker", "run", "--rm", "--init=true", "img"))
			.containsOnlyOnce("--rm")
			.doesNotContain("--init");
		assertThat(rewrite(new ContainerSettings(ContainerEngine.AUTO, false, false), "docker", "run", "img"))
			.doesNotContain("--rm", "--init");
	}

	@Test
	void optionsOfTheContainersOwnCommandDoNotCountAsTheUsers() {
		assertThat(rewrite(ContainerSettings.DEFAULTS, "docker", "run", "-it", "-e", "TOKEN", "--network=host",
				"--volume", "/data:/data", "mcp/files", "--rm", "--init", "--name", "files"))
			.containsSubsequence("run", "--name", "n1", "--cidfile", CID.toString(), "--init", "--rm", "-it")
			.containsSubsequence("mcp/files", "--rm", "--init", "--name", "files");
		assertThat(rewrite(ContainerSettings.DEFAULTS, "podman", "run", "-i", "--rootfs", "/tmp/root",
				"/usr/bin/python3", "s.py", "--init"))
			.containsSubsequence("run", "--init", "--rm", "-i");
		// values attached to short options: -p8080:80 and -ieTOKEN take no next argument
		assertThat(rewrite(ContainerSettings.DEFAULTS, "docker", "run", "-p8080:80", "-ieTOKEN", "mcp/files", "--rm"))
			.containsSubsequence("run", "--init", "--rm", "-p8080:80", "-ieTOKEN", "mcp/files", "--rm");
	}

	@Test
	void usersOwnOptionsBeforeTheImageAreSeenWhateverTheirForm() {
		assertThat(rewrite(ContainerSettings.DEFAULTS, "docker", "run", "-d", "--rm", "-e", "A=b", "img"))
			.containsOnlyOnce("--rm");
		assertThat(rewrite(ContainerSettings.DEFAULTS, "docker", "run", "--env", "X", "--init=true", "img"))
			.doesNotContain("--init");
	}

	@Test
	void usersOwnNameAndCidFileAreSeen() {
		ContainerCommand command = ContainerCommand
			.of(List.of("docker", "run", "--name", "mine", "--cidfile=/x", "img"), ContainerSettings.DEFAULTS)
			.orElseThrow();
		assertThat(command.hasUserName()).isTrue();
		assertThat(command.hasUserCidFile()).isTrue();
		assertThat(command.rewrite(LABELS, null, null, ContainerSettings.DEFAULTS, List.of()))
			.containsOnlyOnce("--name")
			.containsOnlyOnce("--cidfile=/x")
			.doesNotContain("--cidfile");
	}

	@Test
	void confinementOptionsGoAfterRunUnlessTheUserGaveThemAndRepeatableOnesAlways() {
		ContainerCommand command = ContainerCommand
			.of(List.of("docker", "run", "-i", "--network=host", "--ulimit", "core=0", "img", "--network=none"),
					ContainerSettings.DEFAULTS)
			.orElseThrow();
		List<String> rewritten = command.rewrite(LABELS, null, null, ContainerSettings.DEFAULTS,
				List.of("--security-opt=no-new-privileges", "--read-only", "--network=none", "--ulimit=nofile=64:64"));
		assertThat(rewritten).containsSubsequence("run", "--security-opt=no-new-privileges", "--read-only",
				"--ulimit=nofile=64:64", "-i", "--network=host", "--ulimit", "core=0", "img", "--network=none");
		// the server's own --network wins; the one after the image is the container's
		// argument
		assertThat(rewritten.subList(0, rewritten.indexOf("img"))).doesNotContain("--network=none");
	}

	private static List<String> globalOptions(String... command) {
		return ContainerCommand.of(List.of(command), ContainerSettings.DEFAULTS).orElseThrow().globalOptions();
	}

	private static ContainerEngine engineOf(String... command) {
		return ContainerCommand.of(List.of(command), ContainerSettings.DEFAULTS).orElseThrow().engine();
	}

	private static List<String> rewrite(ContainerSettings settings, String... command) {
		return ContainerCommand.of(List.of(command), settings)
			.orElseThrow()
			.rewrite(LABELS, "n1", CID, settings, List.of());
	}

}
