package dev.mcpstdio.sample;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The machine's running processes, found by their command lines, for the tests that look
 * for what a run of the sample left behind.
 */
final class Processes {

	private Processes() {
	}

	/** Running processes, but this one, whose command line contains the text. */
	static List<Long> with(String text) throws IOException {
		try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
			return entries.filter((entry) -> entry.getFileName().toString().matches("\\d+"))
				.filter((entry) -> commandLine(entry).contains(text))
				.map((entry) -> Long.parseLong(entry.getFileName().toString()))
				.filter((pid) -> pid != ProcessHandle.current().pid())
				.toList();
		}
	}

	private static String commandLine(Path entry) {
		try {
			return new String(Files.readAllBytes(entry.resolve("cmdline")), StandardCharsets.UTF_8).replace('\0', ' ');
		}
		catch (IOException ex) {
			return "";
		}
	}

}
