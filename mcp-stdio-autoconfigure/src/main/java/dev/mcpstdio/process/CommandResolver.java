package dev.mcpstdio.process;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import dev.mcpstdio.process.platform.Platform;
import org.jspecify.annotations.Nullable;

/**
 * Looks an executable up the way a shell would, without a shell: a name without a path on
 * PATH (and, on Windows, with each PATHEXT extension, so {@code npx} finds
 * {@code npx.cmd}), a path relative to the working directory.
 */
public final class CommandResolver {

	private final @Nullable String path;

	private final List<String> extensions;

	/**
	 * Creates a resolver over the given environment.
	 * @param environment the variables PATH (and PATHEXT on Windows) come from
	 */
	public CommandResolver(Map<String, String> environment) {
		this.path = lookup(environment, "PATH");
		this.extensions = extensions(lookup(environment, "PATHEXT"));
	}

	/** A resolver over this JVM's own environment. */
	public static CommandResolver ofSystem() {
		return new CommandResolver(System.getenv());
	}

	/**
	 * A resolver for a child's command: a child without a PATH of its own is looked up on
	 * the application's, as the JDK would.
	 * @param child the child's environment
	 * @param application the application's environment
	 * @return the resolver
	 */
	public static CommandResolver forChild(Map<String, String> child, Map<String, String> application) {
		return new CommandResolver(child.containsKey("PATH") ? child : application);
	}

	/** Whether there is a PATH to look names up on. */
	public boolean hasPath() {
		return this.path != null;
	}

	/**
	 * Finds the executable to run for a command.
	 * @param command the command as configured
	 * @param workingDirectory where a relative path is resolved, or {@code null} for the
	 * JVM's own
	 * @return the executable, or empty when none is found or it cannot be executed
	 */
	public Optional<Path> resolve(String command, @Nullable Path workingDirectory) {
		if (command.isBlank()) {
			return Optional.empty();
		}
		try {
			if (hasPath(command)) {
				Path base = (workingDirectory != null) ? workingDirectory : Path.of("");
				return withExtensions(base.resolve(command)).filter(Files::isExecutable);
			}
			if (this.path == null) {
				return Optional.empty();
			}
			for (String dir : this.path.split(File.pathSeparator)) {
				if (dir.isEmpty()) {
					continue;
				}
				Optional<Path> found = withExtensions(Path.of(dir, command));
				if (found.isPresent()) {
					return found;
				}
			}
			return Optional.empty();
		}
		catch (InvalidPathException ex) {
			return Optional.empty();
		}
	}

	private Optional<Path> withExtensions(Path candidate) {
		if (isExecutableFile(candidate)) {
			return Optional.of(candidate);
		}
		for (String ext : this.extensions) {
			Path withExt = candidate.resolveSibling(candidate.getFileName() + ext);
			if (isExecutableFile(withExt)) {
				return Optional.of(withExt);
			}
		}
		return Optional.empty();
	}

	private static boolean isExecutableFile(Path path) {
		return Files.isRegularFile(path) && Files.isExecutable(path);
	}

	private static boolean hasPath(String command) {
		return command.contains("/") || (Platform.isWindows() && command.contains("\\"));
	}

	private static List<String> extensions(@Nullable String pathExt) {
		if (!Platform.isWindows()) {
			return List.of();
		}
		String value = (pathExt != null) ? pathExt : ".COM;.EXE;.BAT;.CMD";
		List<String> result = new ArrayList<>();
		for (String ext : value.split(";")) {
			if (!ext.isBlank()) {
				result.add(ext.toLowerCase(Locale.ROOT));
			}
		}
		return result;
	}

	private static @Nullable String lookup(Map<String, String> environment, String name) {
		String value = environment.get(name);
		if (value != null || !Platform.isWindows()) {
			return value;
		}
		// Windows spells variables in any case
		for (Map.Entry<String, String> entry : environment.entrySet()) {
			if (entry.getKey().equalsIgnoreCase(name)) {
				return entry.getValue();
			}
		}
		return null;
	}

}
