package dev.mcpstdio.process.sandbox;

import java.io.File;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * What one launch of a sandboxed server may not see or write, as existing paths of the
 * host: the home's credential stores, the application's files and the user's
 * {@code deny-read} hidden (but what {@code allow-read} gives back); the application's
 * files, its class path and the starter's own state never writable, whatever
 * {@code allow-write} says.
 */
final class PathRules {

	/** The home's credential stores, hidden from every sandboxed server by default. */
	static final List<String> HOME_CREDENTIALS = List.of("~/.ssh", "~/.aws", "~/.azure", "~/.config/gcloud", "~/.kube",
			"~/.docker", "~/.gnupg", "~/.netrc", "~/.git-credentials", "~/.npmrc", "~/.yarnrc.yml", "~/.pypirc",
			"~/.config/pip", "~/.m2/settings*.xml", "~/.gradle/gradle.properties", "~/.config/gh", "~/.config/hub",
			"~/.cargo/credentials*", "~/.vault-token", "~/.password-store", "~/.pgpass", "~/.my.cnf",
			"~/.terraform.d/credentials.tfrc.json", "~/.local/share/keyrings", "~/.config/containers/auth.json",
			"~/.config/op");

	private final List<Path> hidden;

	private final List<Path> readBack;

	private final List<Path> neverWritable;

	private PathRules(List<Path> hidden, List<Path> readBack, List<Path> neverWritable) {
		this.hidden = hidden;
		this.readBack = readBack;
		this.neverWritable = neverWritable;
	}

	/**
	 * The rules of one launch.
	 * @param settings the server's sandbox
	 * @param base what relative paths are relative to
	 * @param starterState the starter's own directories (the ledger)
	 * @param writable the paths the server may write: its working directory and
	 * allow-write paths
	 * @return the rules, as paths that exist now and that the server's user can reach
	 */
	static PathRules of(SandboxSettings settings, Path base, List<Path> starterState, List<Path> writable) {
		Set<Path> allowRead = expand(settings.allowRead(), base);
		List<Path> hidden = new ArrayList<>();
		for (Path path : expand(hiddenPatterns(settings), base)) {
			if (!allowRead.contains(path) && SandboxUser.canReach(path)) {
				hidden.add(path);
			}
		}
		List<Path> readBack = allowRead.stream()
			.filter((path) -> hidden.stream().anyMatch((directory) -> path.startsWith(directory)))
			.toList();
		List<String> protectedPaths = new ArrayList<>(settings.applicationFiles());
		protectedPaths.addAll(classPath());
		starterState.forEach((path) -> protectedPaths.add(path.toString()));
		// the rest of the file system is read-only already: only what lies inside a
		// writable path is looked at (a class path has many entries)
		List<String> inside = protectedPaths.stream()
			.filter((path) -> writable.stream().anyMatch(BwrapCommand.Paths.of(path, base)::startsWith))
			.toList();
		List<Path> neverWritable = List.copyOf(expand(inside, base));
		return new PathRules(hidden, readBack, neverWritable);
	}

	/** What a server's sandbox hides, as written: defaults first, then its own. */
	static List<String> hiddenPatterns(SandboxSettings settings) {
		List<String> patterns = new ArrayList<>(HOME_CREDENTIALS);
		patterns.addAll(settings.applicationFiles());
		patterns.addAll(settings.denyRead());
		patterns.removeAll(settings.allowRead());
		return patterns;
	}

	/** The entries of the application's class path (its jar, where it runs from one). */
	static List<String> classPath() {
		String classPath = System.getProperty("java.class.path", "");
		return Stream.of(classPath.split(File.pathSeparator)).filter((entry) -> !entry.isBlank()).toList();
	}

	/** The existing paths hidden from the server: directories or files. */
	List<Path> hidden() {
		return this.hidden;
	}

	/** The allowed paths inside hidden directories, bound back read-only. */
	List<Path> readBack() {
		return this.readBack;
	}

	/**
	 * The existing never-writable paths inside a writable path, bound read-only after
	 * everything writable (a WARN names them).
	 */
	List<Path> neverWritable() {
		return this.neverWritable;
	}

	/**
	 * The existing paths that patterns name: {@code ~} for the home, relative to the
	 * working directory, a {@code *} in the last name matched against the directory's
	 * entries.
	 */
	static Set<Path> expand(List<String> patterns, Path workingDirectory) {
		Set<Path> paths = new LinkedHashSet<>();
		for (String pattern : patterns) {
			if (pattern.isBlank()) {
				continue;
			}
			Path resolved = BwrapCommand.Paths.of(pattern.trim(), workingDirectory);
			String name = (resolved.getFileName() != null) ? resolved.getFileName().toString() : "";
			if (name.contains("*") && resolved.getParent() != null) {
				paths.addAll(matching(resolved.getParent(), name));
			}
			else if (Files.exists(resolved, LinkOption.NOFOLLOW_LINKS)) {
				paths.add(resolved);
			}
		}
		return paths;
	}

	private static List<Path> matching(Path directory, String glob) {
		if (!Files.isDirectory(directory)) {
			return List.of();
		}
		List<Path> found = new ArrayList<>();
		try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory, glob)) {
			entries.forEach(found::add);
		}
		catch (IOException ex) {
			// unreadable: nothing of it to hide
		}
		return found;
	}

}
