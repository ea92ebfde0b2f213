package dev.mcpstdio.process;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * What a server's process inherits of the application's environment, and how the setting
 * is read.
 */
class InheritEnvTests {

	private static final Map<String, String> APPLICATION = Map.of("PATH", "/usr/bin", "HOME", "/home/app", "LC_ALL",
			"C.UTF-8", "https_proxy", "http://proxy:3128", "DATABASE_PASSWORD", "s3cret", "AWS_SECRET_ACCESS_KEY",
			"aws-secret", "NPM_CONFIG_REGISTRY", "http://npm.local", "NPM_CONFIG_CACHE", "/cache");

	@Test
	void minimalKeepsWhatTheMcpSdksPassAndNoSecret() {
		assertThat(spec(InheritEnv.MINIMAL).environment(APPLICATION)).containsOnlyKeys("PATH", "HOME", "LC_ALL",
				"https_proxy");
	}

	@Test
	void passEnvAddsNamesAndGlobsToWhatIsInherited() {
		ProcessSpec spec = builder(InheritEnv.MINIMAL).passEnv(List.of("NPM_CONFIG_*", "DATABASE_PASSWORD")).build();
		assertThat(spec.environment(APPLICATION)).containsOnlyKeys("PATH", "HOME", "LC_ALL", "https_proxy",
				"NPM_CONFIG_REGISTRY", "NPM_CONFIG_CACHE", "DATABASE_PASSWORD");
	}

	@Test
	void allKeepsEverythingAndNoneNothingButTheServersOwnEnv() {
		assertThat(spec(InheritEnv.ALL).environment(APPLICATION)).containsAllEntriesOf(APPLICATION);
		ProcessSpec none = builder(InheritEnv.NONE).env(Map.of("TOKEN", "own")).passEnv(List.of("HOME")).build();
		assertThat(none.environment(APPLICATION))
			.containsExactlyInAnyOrderEntriesOf(Map.of("TOKEN", "own", "HOME", "/home/app"));
	}

	@Test
	void serversOwnEnvWinsOverTheApplications() {
		ProcessSpec spec = builder(InheritEnv.MINIMAL).env(Map.of("PATH", "/opt/server/bin")).build();
		assertThat(spec.environment(APPLICATION)).containsEntry("PATH", "/opt/server/bin");
	}

	@Test
	void commandThatRunsAContainerKeepsTheEnginesVariables() {
		Map<String, String> application = Map.of("PATH", "/usr/bin", "DOCKER_HOST", "ssh://builder", "CONTAINER_HOST",
				"unix:///run/podman.sock", "XDG_RUNTIME_DIR", "/run/user/1000", "DATABASE_PASSWORD", "s3cret");
		ProcessSpec container = ProcessSpec.command("boxed", "docker", List.of("run", "-i", "--rm", "mcp/fetch"))
			.build();
		assertThat(container.environment(application)).containsOnlyKeys("PATH", "DOCKER_HOST", "CONTAINER_HOST",
				"XDG_RUNTIME_DIR");
		ProcessSpec plain = ProcessSpec.command("plain", "npx", List.of("-y", "server")).build();
		assertThat(plain.environment(application)).containsOnlyKeys("PATH");
	}

	@Test
	void globsMatchAnyNameAndAllKeepsEvenOddOnes() {
		Map<String, String> application = Map.of("a/b", "1", "NPM_CONFIG_X", "2", "NPMXCONFIG", "3");
		assertThat(builder(InheritEnv.NONE).passEnv(List.of("NPM_CONFIG_*")).build().environment(application))
			.containsOnlyKeys("NPM_CONFIG_X");
		assertThat(builder(InheritEnv.NONE).passEnv(List.of("NPM?CONFIG")).build().environment(application))
			.containsOnlyKeys("NPMXCONFIG");
		assertThat(spec(InheritEnv.ALL).environment(application)).containsOnlyKeys("a/b", "NPM_CONFIG_X", "NPMXCONFIG");
	}

	@Test
	void readsMinimalAllNoneAndTrueFalseInAnyCase() {
		assertThat(InheritEnv.of("minimal")).isEqualTo(InheritEnv.MINIMAL);
		assertThat(InheritEnv.of("ALL")).isEqualTo(InheritEnv.ALL);
		assertThat(InheritEnv.of("true")).isEqualTo(InheritEnv.ALL);
		assertThat(InheritEnv.of("None")).isEqualTo(InheritEnv.NONE);
		assertThat(InheritEnv.of("false")).isEqualTo(InheritEnv.NONE);
		assertThatIllegalArgumentException().isThrownBy(() -> InheritEnv.of("some"))
			.withMessageContaining("'some' is not an inherit-env setting")
			.withMessageContaining("minimal, all or none");
	}

	private static ProcessSpec spec(InheritEnv inheritEnv) {
		return builder(inheritEnv).build();
	}

	private static ProcessSpec.Builder builder(InheritEnv inheritEnv) {
		return ProcessSpec.command("env", "env", List.of()).inheritEnv(inheritEnv);
	}

}
