package dev.mcpstdio;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Dependencies point one way, kept by the build: read from the imports of the production
 * code, the packages form no cycle, the concerns depend in the order of DESIGN.md
 * ({@code process <- transport <- server <- actuate, autoconfigure}), and the internals
 * of a package with one entry point are used by that package alone.
 */
class PackageDependencyTests {

	private static final Pattern PACKAGE = Pattern.compile("^package ([\\w.]+);", Pattern.MULTILINE);

	private static final Pattern IMPORT = Pattern.compile("^import (?:static )?((?:[a-z]\\w*\\.)*[a-z]\\w*)\\.[A-Z]",
			Pattern.MULTILINE);

	/** The concerns, each allowed to use the ones before it. */
	private static final List<String> LAYERS = List.of("process", "transport", "server", "gateway", "actuate",
			"autoconfigure");

	/**
	 * The packages whose public types are internals of the one package that uses them.
	 */
	private static final Map<String, String> USED_BY_ONE = Map.of("dev.mcpstdio.transport.inflight",
			"dev.mcpstdio.transport");

	private static final Map<String, Set<String>> uses = new TreeMap<>();

	@BeforeAll
	static void readImports() throws IOException {
		Path main = Path.of("src", "main", "java");
		try (Stream<Path> files = Files.walk(main)) {
			for (Path file : files.filter((path) -> path.toString().endsWith(".java")).toList()) {
				String source = Files.readString(file);
				Matcher name = PACKAGE.matcher(source);
				assertThat(name.find()).as("package of %s", file).isTrue();
				Set<String> used = uses.computeIfAbsent(name.group(1), (key) -> new TreeSet<>());
				Matcher imported = IMPORT.matcher(source);
				while (imported.find()) {
					if (imported.group(1).startsWith("dev.mcpstdio") && !imported.group(1).equals(name.group(1))) {
						used.add(imported.group(1));
					}
				}
			}
		}
		assertThat(uses).containsKeys("dev.mcpstdio.process", "dev.mcpstdio.transport.inflight");
	}

	@Test
	void noPackageDependsOnOneThatDependsOnIt() {
		List<String> cycles = new ArrayList<>();
		for (String from : uses.keySet()) {
			for (String to : uses.get(from)) {
				if (reaches(to, from, new TreeSet<>())) {
					cycles.add(from + " <-> " + to);
				}
			}
		}
		assertThat(cycles).as("packages that depend on each other, directly or not").isEmpty();
	}

	@Test
	void concernsDependOnTheOnesBeforeThemOnly() {
		List<String> upward = new ArrayList<>();
		uses.forEach((from, used) -> used.stream()
			.filter((to) -> layer(to) > layer(from))
			.forEach((to) -> upward.add(from + " -> " + to)));
		assertThat(upward).as("dependencies against " + String.join(" <- ", LAYERS)).isEmpty();
	}

	@Test
	void internalsOfAPackageAreUsedByItAlone() {
		List<String> outside = new ArrayList<>();
		USED_BY_ONE.forEach((internal, owner) -> uses.forEach((from, used) -> {
			if (used.contains(internal) && !from.equals(owner)) {
				outside.add(from + " -> " + internal);
			}
		}));
		assertThat(outside).isEmpty();
	}

	private static boolean reaches(String from, String target, Set<String> seen) {
		if (from.equals(target)) {
			return true;
		}
		if (!seen.add(from)) {
			return false;
		}
		return uses.getOrDefault(from, Set.of()).stream().anyMatch((next) -> reaches(next, target, seen));
	}

	private static int layer(String pkg) {
		String concern = pkg.substring("dev.mcpstdio.".length()).split("\\.")[0];
		int layer = LAYERS.indexOf(concern);
		assertThat(layer).as("the concern of %s", pkg).isNotNegative();
		return layer;
	}

}
