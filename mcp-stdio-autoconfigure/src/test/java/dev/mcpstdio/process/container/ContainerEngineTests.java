package dev.mcpstdio.process.container;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How each engine is recognised and how it removes a container.
 */
class ContainerEngineTests {

	@Test
	void autoRecognisesTheEnginesByFileNameOnly() {
		assertThat(ContainerEngine.AUTO.resolve("/usr/local/bin/podman")).hasValue(ContainerEngine.PODMAN);
		assertThat(ContainerEngine.AUTO.resolve("Docker.EXE")).hasValue(ContainerEngine.DOCKER);
		assertThat(ContainerEngine.AUTO.resolve("/usr/bin/podman-remote")).isEmpty();
		assertThat(ContainerEngine.NONE.resolve("docker")).isEmpty();
		assertThat(ContainerEngine.NERDCTL.resolve("/opt/anything")).hasValue(ContainerEngine.NERDCTL);
	}

	@Test
	void podmanRemovesWithoutItsStopGracePeriod() {
		assertThat(ContainerEngine.PODMAN.removeArguments(List.of("a", "b"))).containsExactly("rm", "-f", "-t", "0",
				"a", "b");
		assertThat(ContainerEngine.DOCKER.removeArguments(List.of("a"))).containsExactly("rm", "-f", "a");
	}

}
