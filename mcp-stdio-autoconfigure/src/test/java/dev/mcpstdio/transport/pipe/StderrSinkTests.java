package dev.mcpstdio.transport.pipe;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link StderrSink} on the stderr of a real process that writes terminal control: the
 * log line and the tail show it escaped, secrets redacted first.
 */
@ExtendWith(OutputCaptureExtension.class)
class StderrSinkTests {

	/**
	 * Writes, as bytes, ANSI escapes, a carriage return, a C1 CSI and a coloured secret.
	 */
	private static final String SCRIPT = """
			import sys
			for line in ["\\x1b[2Jscreen cleared", "\\x1b]0;forged title\\x07title set", "real line\\rforged line",
			             "\\x9b31mred through C1", "token \\x1b[31ms3cr3t-token\\x1b[0m", "tab\\tkept"]:
			    sys.stderr.buffer.write((line + "\\n").encode("utf-8"))
			""";

	@Test
	void escapeSequencesOfTheServersStderrAreLoggedAndKeptEscaped(CapturedOutput output) throws Exception {
		StderrSink sink = new StderrSink("ansi", LogLevel.INFO, 10, new Redactor(List.of("s3cr3t-token")));
		Process process = new ProcessBuilder("/usr/bin/python3", "-c", SCRIPT).start();
		process.getOutputStream().close();
		sink.readToEnd(process.getErrorStream());
		assertThat(process.waitFor()).isZero();
		List<String> escaped = List.of("\\u001b[2Jscreen cleared", "\\u001b]0;forged title\\u0007title set",
				"real line\\u000dforged line", "\\u009b31mred through C1", "token \\u001b[31m******\\u001b[0m",
				"tab\tkept");
		assertThat(sink.tail()).containsExactlyElementsOf(escaped);
		assertThat(output.getOut()).contains(escaped.stream().map((line) -> "mcp.stdio.ansi - " + line).toList())
			.doesNotContain("\u001b", "\u0007", "\u009b", "real line\rforged", "s3cr3t-token");
		assertThat(new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isEmpty();
	}

}
