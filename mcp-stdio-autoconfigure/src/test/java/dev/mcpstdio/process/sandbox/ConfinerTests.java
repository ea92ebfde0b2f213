package dev.mcpstdio.process.sandbox;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import dev.mcpstdio.fixture.Sandboxes;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class ConfinerTests {

	private static final Path WD = Path.of("/srv/work");

	private final Confiner confiner = new Confiner();

	@Test
	void unconfinedServerGetsOnlyNoNewPrivileges() {
		Confined confined = this.confiner.confine("plain", Confinement.DEFAULTS, WD, List.of("server"),
				(tool) -> Optional.empty());
		assertThat(confined.setprivOptions()).containsExactly("--no-new-privs");
		assertThat(confined.prefix()).isEmpty();
		assertThat(confined.sandbox()).isEqualTo("off");
	}

	@Test
	void limitsNeedPrlimitAndSayHowToGetIt() {
		Confinement limited = new Confinement(SandboxSettings.DISABLED,
				new ResourceLimits(1 << 20, Duration.ZERO, 0, 0, 0), false);
		assertThat(this.confiner
			.confine("small", limited, WD, List.of("server"), (tool) -> Optional.of(Path.of("/usr/bin/" + tool)))
			.prefix()).containsExactly("/usr/bin/prlimit", "--data=1048576", "--");
		assertThatExceptionOfType(ConfinementException.class)
			.isThrownBy(
					() -> this.confiner.confine("small", limited, WD, List.of("server"), (tool) -> Optional.empty()))
			.withMessageContaining("MCP server 'small' has limits, which need prlimit (util-linux)");
	}

	@Test
	void sandboxWithoutBubblewrapFailsOrWarnsAsConfigured() {
		SandboxSettings strict = Sandboxes.sandbox(List.of(), List.of(), List.of(), List.of());
		assertThatExceptionOfType(ConfinementException.class)
			.isThrownBy(() -> this.confiner.confine("strict", Sandboxes.confined(strict), WD, List.of("server"),
					(tool) -> Optional.empty()))
			.withMessageContaining("MCP server 'strict' asked for a sandbox, which cannot run");
		SandboxSettings lenient = new SandboxSettings(true, SandboxSettings.OnUnavailable.WARN, List.of(), List.of(),
				List.of(), List.of(), List.of());
		Confined confined = this.confiner.confine("lenient", Sandboxes.confined(lenient), WD, List.of("server"),
				(tool) -> Optional.empty());
		assertThat(confined.sandbox()).isEqualTo("unavailable");
		assertThat(confined.prefix()).isEmpty();
	}

	@Test
	void containerIsConfinedByItsEnginesRunOptions() {
		Confinement confinement = new Confinement(Sandboxes.sandbox(List.of(), List.of(), List.of(), List.of()),
				new ResourceLimits(64L << 20, Duration.ZERO, 50, 0, 0), true);
		assertThat(Confiner.runOptions("boxed", confinement)).containsExactly("--security-opt=no-new-privileges",
				"--read-only", "--tmpfs=/tmp", "--cap-drop=ALL", "--network=none", "--memory=67108864b",
				"--pids-limit=50");
		assertThat(Confiner.runOptions("open", Confinement.DEFAULTS))
			.containsExactly("--security-opt=no-new-privileges");
		assertThat(Confiner.ofContainer(confinement).sandbox()).isEqualTo("container");
	}

	@Test
	void containerCannotHaveItsNetworkFilteredByDomain() {
		Confinement confinement = Sandboxes
			.confined(Sandboxes.sandbox(List.of(), List.of(), List.of(), List.of("api.github.com")));
		assertThatExceptionOfType(ConfinementException.class)
			.isThrownBy(() -> Confiner.runOptions("boxed", confinement))
			.withMessageContaining(
					"MCP server 'boxed' runs in a container, whose network cannot be filtered by domain");
	}

}
