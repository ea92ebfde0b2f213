package dev.mcpstdio.process;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import dev.mcpstdio.process.platform.Platform;
import dev.mcpstdio.process.sandbox.Confined;
import org.jspecify.annotations.Nullable;

/**
 * The command lines and environments of a launcher's children: the words that put each
 * child in a process group of its own with a parent-death signal ({@code setsid},
 * {@code setpriv --pdeathsig KILL}), then those of its confinement, then its command,
 * resolved on its PATH; its environment with the orphan guard's variables and its
 * confinement's.
 */
final class ChildCommands {

	private final List<String> prefix;

	private final Supplier<Map<String, String>> childVariables;

	/**
	 * The commands of a launcher's children.
	 * @param processGroups whether each child leads a process group of its own
	 * @param parentDeathSignal whether each child gets SIGKILL when its spawning thread
	 * dies
	 * @param childVariables the variables every child carries (the orphan guard's)
	 */
	ChildCommands(boolean processGroups, boolean parentDeathSignal, Supplier<Map<String, String>> childVariables) {
		this.prefix = commandPrefix(processGroups, parentDeathSignal);
		this.childVariables = childVariables;
	}

	/** Whether each child leads a process group of its own. */
	boolean ownGroups() {
		return !this.prefix.isEmpty() && this.prefix.get(0).endsWith("setsid");
	}

	/**
	 * The process builder of a command: a container's CLI ({@code confined} null) is
	 * confined by its run options, any other command by the words of its confinement.
	 */
	ProcessBuilder processBuilder(ProcessSpec spec, List<String> specCommand, @Nullable Confined confined) {
		Map<String, String> environment = spec.environment(System.getenv());
		environment.putAll(this.childVariables.get());
		String executable = spec.command().get(0);
		CommandResolver resolver = CommandResolver.forChild(environment, System.getenv());
		Path resolved = resolver.resolve(executable, spec.workingDirectory())
			.orElseThrow(() -> notFound(spec, executable, resolver));
		if (spec.workingDirectory() != null && !Files.isDirectory(spec.workingDirectory())) {
			throw new ProcessLaunchException(spec.name(), spec.command(),
					"MCP server '" + spec.name() + "': working-directory " + spec.workingDirectory()
							+ " does not exist. Create it or fix the path.");
		}
		List<String> command = new ArrayList<>(this.prefix);
		if (confined != null) {
			confined.applyTo(environment);
			addSetprivOptions(command, confined.setprivOptions());
			command.addAll(confined.prefix());
		}
		command.add(resolved.toString());
		command.addAll(specCommand.subList(1, specCommand.size()));
		ProcessBuilder builder = new ProcessBuilder(command);
		builder.environment().clear();
		builder.environment().putAll(environment);
		if (spec.workingDirectory() != null) {
			builder.directory(spec.workingDirectory().toFile());
		}
		if (confined != null) {
			confined.workingDirectory().ifPresent((directory) -> builder.directory(directory.toFile()));
		}
		return builder;
	}

	private static ProcessLaunchException notFound(ProcessSpec spec, String executable, CommandResolver resolver) {
		String where = executable.contains("/") || executable.contains(File.separator) ? "" : " on PATH";
		return new ProcessLaunchException(spec.name(), spec.command(),
				"MCP server '" + spec.name() + "': command '" + executable + "' was not found" + where
						+ " or is not executable. Set command to an absolute path" + " or add its directory to PATH"
						+ (resolver.hasPath() ? "" : " (PATH is not set)") + ".");
	}

	private static List<String> commandPrefix(boolean processGroups, boolean parentDeathSignal) {
		List<String> prefix = new ArrayList<>();
		if (processGroups) {
			Platform.systemTool("setsid").ifPresent((setsid) -> prefix.add(setsid.toString()));
		}
		if (parentDeathSignal && Platform.isLinux()) {
			Platform.systemTool("setpriv").ifPresent((setpriv) -> {
				prefix.add(setpriv.toString());
				prefix.add("--pdeathsig");
				prefix.add("KILL");
				prefix.add("--");
			});
		}
		return prefix;
	}

	/**
	 * Puts setpriv's options of a server's confinement before the launcher's {@code --}
	 * where the launcher runs setpriv, else runs setpriv for them alone where Linux has
	 * it.
	 */
	private void addSetprivOptions(List<String> command, List<String> options) {
		if (options.isEmpty()) {
			return;
		}
		int end = command.indexOf("--");
		if (end >= 0) {
			command.addAll(end, options);
		}
		else if (Platform.isLinux()) {
			Platform.systemTool("setpriv").ifPresent((setpriv) -> {
				command.add(setpriv.toString());
				command.addAll(options);
				command.add("--");
			});
		}
	}

}
