package dev.mcpstdio;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One job per class, kept by the build: no production class grows past 350 lines
 * (properties classes aside), so that the next change cannot slip one past it.
 */
class ClassSizeTests {

	private static final int MOST = 350;

	/** Classes past the bound when it was set, each allowed its size then, no more. */
	private static final Map<String, Integer> NOT_YET_SPLIT = Map.of();

	@Test
	void noProductionClassIsPast350LinesButPropertiesClasses() throws IOException {
		Map<String, Integer> tooLong = new TreeMap<>();
		Path main = Path.of("src", "main", "java");
		try (Stream<Path> files = Files.walk(main)) {
			for (Path file : files.filter((path) -> path.toString().endsWith(".java")).toList()) {
				String name = file.getFileName().toString().replace(".java", "");
				int lines = Files.readAllLines(file).size();
				if (lines > NOT_YET_SPLIT.getOrDefault(name, MOST) && !name.endsWith("Properties")) {
					tooLong.put(main.relativize(file).toString(), lines);
				}
			}
		}
		assertThat(tooLong).as("classes past %d lines: split them by job", MOST).isEmpty();
	}

}
