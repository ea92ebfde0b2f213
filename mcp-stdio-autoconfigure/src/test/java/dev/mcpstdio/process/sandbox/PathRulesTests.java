package dev.mcpstdio.process.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import dev.mcpstdio.fixture.Sandboxes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class PathRulesTests {

	@TempDir
	Path work;

	private String realHome;

	private Path home;

	@BeforeEach
	void fakeHome() throws IOException {
		// reachable by the sandbox's user, as a real user's home is
		Sandboxes.writableBySandbox(List.of(this.work), this.work);
		this.home = Files.createDirectories(this.work.resolve("home"));
		this.realHome = System.getProperty("user.home");
		System.setProperty("user.home", this.home.toString());
	}

	@AfterEach
	void realHome() {
		System.setProperty("user.home", this.realHome);
	}

	@Test
	void credentialStoresOfTheHomeAreHiddenButWhatAllowReadGivesBack() throws IOException {
		Path ssh = Files.createDirectories(this.home.resolve(".ssh"));
		Path npmrc = Files.writeString(this.home.resolve(".npmrc"), "token");
		Path settings = Files.writeString(Files.createDirectories(this.home.resolve(".m2")).resolve("settings.xml"),
				"s");
		Path security = Files.writeString(this.home.resolve(".m2/settings-security.xml"), "s");
		Path repository = Files.createDirectories(this.home.resolve(".m2/repository"));
		Path knownHosts = Files.writeString(ssh.resolve("known_hosts"), "h");
		PathRules rules = PathRules.of(settings(List.of(), List.of("~/.npmrc", "~/.ssh/known_hosts")), this.work,
				List.of(), List.of());
		assertThat(rules.hidden()).contains(ssh, settings, security).doesNotContain(npmrc, repository);
		assertThat(rules.readBack()).containsExactly(knownHosts);
	}

	@Test
	void applicationFilesAreHiddenAndNeverWritableInsideAWritablePath() throws IOException {
		Path config = Files.createDirectories(this.work.resolve("app/config"));
		Path yml = Files.writeString(this.work.resolve("app/application-prod.yml"), "password: x");
		Path other = Files.writeString(this.work.resolve("app/readme.txt"), "r");
		SandboxSettings settings = settings(List.of(this.work + "/app/config", this.work + "/app/application*.yml"),
				List.of());
		PathRules rules = PathRules.of(settings, this.work, List.of(), List.of(this.work.resolve("app")));
		assertThat(rules.hidden()).contains(config, yml).doesNotContain(other);
		assertThat(rules.neverWritable()).contains(config, yml).doesNotContain(other);
		assertThat(
				PathRules.of(settings, this.work, List.of(), List.of(this.work.resolve("elsewhere"))).neverWritable())
			.isEmpty();
	}

	@Test
	void starterStateAndClassPathAreNeverWritableInsideAWritablePath() throws IOException {
		Path ledger = Files.createDirectories(this.work.resolve("ledger"));
		PathRules rules = PathRules.of(settings(List.of(), List.of()), this.work, List.of(ledger), List.of(this.work));
		assertThat(rules.neverWritable()).contains(ledger);
		Path classes = Path.of(PathRules.classPath().get(0)).toAbsolutePath();
		assertThat(PathRules.of(settings(List.of(), List.of()), this.work, List.of(), List.of(classes.getParent()))
			.neverWritable()).contains(classes);
	}

	@Test
	void patternsNameExistingPathsRelativeToTheBaseWithAStarInTheLastName() throws IOException {
		Path secrets = Files.createDirectories(this.work.resolve("secrets"));
		Path yml = Files.writeString(this.work.resolve("application-dev.yml"), "x");
		Files.writeString(this.work.resolve("application.properties"), "x");
		assertThat(PathRules.expand(List.of("application*.yml", "secrets", "missing", " "), this.work))
			.containsExactly(yml, secrets);
		assertThat(PathRules.expand(List.of("~/missing", "~"), this.work)).containsExactly(this.home);
	}

	@Test
	void hiddenPatternsAreTheDefaultsTheApplicationsAndTheUsersLessAllowRead() {
		SandboxSettings settings = new SandboxSettings(true, SandboxSettings.OnUnavailable.FAIL, List.of(),
				List.of("/srv/keys"), List.of("~/.npmrc"), List.of(), List.of(), List.of(), List.of(), false, 64,
				List.of("/app/config"));
		assertThat(settings.hidden()).contains("~/.ssh", "~/.aws", "~/.kube", "/app/config", "/srv/keys")
			.doesNotContain("~/.npmrc");
		assertThat(settings.neverWritable()).startsWith("/app/config");
	}

	private static SandboxSettings settings(List<String> applicationFiles, List<String> allowRead) {
		return new SandboxSettings(true, SandboxSettings.OnUnavailable.FAIL, List.of(), List.of(), allowRead, List.of(),
				List.of(), List.of(), List.of(), false, 64, applicationFiles);
	}

}
