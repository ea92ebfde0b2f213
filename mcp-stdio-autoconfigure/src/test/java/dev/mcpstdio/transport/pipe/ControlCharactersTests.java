package dev.mcpstdio.transport.pipe;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ControlCharacters}: what a server wrote, made visible rather than obeyed.
 */
class ControlCharactersTests {

	@Test
	void ansiEscapeSequencesAreShownRatherThanObeyed() {
		assertThat(ControlCharacters.escape("\u001b[2Jcleared")).isEqualTo("\\u001b[2Jcleared");
		assertThat(ControlCharacters.escape("\u001b]0;forged title\u0007")).isEqualTo("\\u001b]0;forged title\\u0007");
		assertThat(ControlCharacters.escape("\u001b[31mred\u001b[0m")).isEqualTo("\\u001b[31mred\\u001b[0m");
	}

	@Test
	void carriageReturnThatWouldOverwriteTheLineIsShown() {
		assertThat(ControlCharacters.escape("real line\rforged line")).isEqualTo("real line\\u000dforged line");
		assertThat(ControlCharacters.escape("one\ntwo")).isEqualTo("one\\u000atwo");
	}

	@Test
	void c1ControlsAndDeleteAreEscapedToo() {
		// U+009B is CSI on its own: ESC [ in one character
		assertThat(ControlCharacters.escape("\u009b2J \u0085 \u007f \u0000"))
			.isEqualTo("\\u009b2J \\u0085 \\u007f \\u0000");
	}

	@Test
	void everyC0AndC1CharacterButTabIsEscapedAndNothingElseBelow0x100() {
		for (char c = 0; c < 0x100; c++) {
			boolean control = (c < 0x20 && c != '\t') || (c >= 0x7f && c <= 0x9f);
			String escaped = ControlCharacters.escape(String.valueOf(c));
			assertThat(escaped).as("U+%04X", (int) c)
				.isEqualTo(control ? String.format("\\u%04x", (int) c) : String.valueOf(c));
		}
	}

	@Test
	void textWithoutControlsIsTheSameInstanceTabsBackslashesAndOtherScriptsIncluded() {
		String text = "tab\there C:\\Users\\me é 日本語 😀 \u00a0";
		assertThat(ControlCharacters.escape(text)).isSameAs(text);
	}

}
