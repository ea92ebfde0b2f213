package dev.mcpstdio.process;

import java.util.List;

import dev.mcpstdio.process.platform.Platform;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The one glob syntax of tool names and environment variables' names.
 */
class GlobsTests {

	@Test
	void starMatchesAnyRunOfCharactersEvenNone() {
		Globs globs = Globs.of(List.of("delete_*"));
		assertThat(globs.matches("delete_everything")).isTrue();
		assertThat(globs.matches("delete_")).isTrue();
		assertThat(globs.matches("delete")).isFalse();
		assertThat(Globs.of(List.of("*")).matches("")).isTrue();
		assertThat(Globs.of(List.of("a**b")).matches("a/x.y*b")).isTrue();
	}

	@Test
	void questionMarkMatchesExactlyOneCharacter() {
		Globs globs = Globs.of(List.of("drop?"));
		assertThat(globs.matches("drops")).isTrue();
		assertThat(globs.matches("drop")).isFalse();
		assertThat(globs.matches("dropped")).isFalse();
	}

	@Test
	void everythingElseStandsForItselfWithNoEscapeNorClass() {
		assertThat(Globs.of(List.of("list.dir")).matches("listXdir")).isFalse();
		assertThat(Globs.of(List.of("[ab]+$")).matches("[ab]+$")).isTrue();
		assertThat(Globs.of(List.of("[ab]")).matches("a")).isFalse();
		assertThat(Globs.of(List.of("a\\*")).matches("a\\xyz")).isTrue();
		assertThat(Globs.of(List.of("\\E.*")).matches("\\E.x")).isTrue();
		assertThat(Globs.of(List.of("\\E.*")).matches("\\EXx")).isFalse();
	}

	@Test
	void aGlobMatchesTheWholeNameAndAnyOfSeveralIsEnough() {
		Globs globs = Globs.of(List.of("read_*", "list"));
		assertThat(globs.matches("read_file")).isTrue();
		assertThat(globs.matches("list")).isTrue();
		assertThat(globs.matches("blacklist")).isFalse();
		assertThat(globs.matches("list_dir")).isFalse();
		assertThat(Globs.of(List.of()).matches("anything")).isFalse();
	}

	@Test
	void toolNamesKeepTheirCaseAndEnvironmentNamesOnlyWhereThePlatformDoes() {
		assertThat(Globs.of(List.of("read_*")).matches("READ_FILE")).isFalse();
		assertThat(Globs.environmentNames(List.of("npm_config_*")).matches("NPM_CONFIG_CACHE"))
			.isEqualTo(Platform.isWindows());
		assertThat(Globs.environmentNames(List.of("NPM_CONFIG_*")).matches("NPM_CONFIG_CACHE")).isTrue();
	}

}
