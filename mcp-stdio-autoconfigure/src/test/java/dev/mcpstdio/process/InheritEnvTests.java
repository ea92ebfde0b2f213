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
