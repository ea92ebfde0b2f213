package dev.mcpstdio.process.container;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The container engine whose CLI runs a server ({@code docker run -i --rm IMAGE}), so
 * that the stop ladder ends with the container gone, not just the CLI.
 */
public enum ContainerEngine {

	/**
	 * Decided by the command's file name: {@code docker}, {@code podman} or
	 * {@code nerdctl}.
	 */
	AUTO,

	/** Docker's CLI. */
	DOCKER,

	/** Podman's CLI. */
	PODMAN,

	/** containerd's nerdctl. */
	NERDCTL,

	/** Not a container engine: the command is run as any other. */
	NONE;

	/**
	 * The engine a command runs with this setting.
	 * @param executable the command's executable, a path or a name
	 * @return the engine, or empty when the command is not treated as an engine's CLI
	 */
	Optional<ContainerEngine> resolve(String executable) {
		return switch (this) {
			case NONE -> Optional.empty();
			case AUTO -> byFileName(executable);
			default -> Optional.of(this);
		};
	}

	/** The arguments that remove containers at once, running or not. */
	List<String> removeArguments(List<String> containers) {
		List<String> arguments = new ArrayList<>(List.of("rm", "-f"));
		if (this == PODMAN) {
			// podman's rm -f stops with a 10 s grace period unless told otherwise
			arguments.addAll(List.of("-t", "0"));
		}
		arguments.addAll(containers);
		return arguments;
	}

	/** The name this engine is shown under: {@code docker}, {@code podman}, ... */
	public String displayName() {
		return name().toLowerCase(Locale.ROOT);
	}

	private static Optional<ContainerEngine> byFileName(String executable) {
		Path fileName = Path.of(executable.replace('\\', '/')).getFileName();
		if (fileName == null) {
			return Optional.empty();
		}
		String name = fileName.toString().toLowerCase(Locale.ROOT);
		if (name.endsWith(".exe")) {
			name = name.substring(0, name.length() - 4);
		}
		return switch (name) {
			case "docker" -> Optional.of(DOCKER);
			case "podman" -> Optional.of(PODMAN);
			case "nerdctl" -> Optional.of(NERDCTL);
			default -> Optional.empty();
		};
	}

}
