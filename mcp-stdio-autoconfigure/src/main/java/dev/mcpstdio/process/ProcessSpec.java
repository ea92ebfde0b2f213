package dev.mcpstdio.process;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import dev.mcpstdio.process.container.ContainerSettings;
import org.jspecify.annotations.Nullable;

/**
 * What to launch for one server: the command line (never run through a shell), the
 * environment and the working directory.
 */
public final class ProcessSpec {

	private final String name;

	private final List<String> command;

	private final Map<String, String> env;

	private final boolean inheritEnv;

	private final @Nullable Path workingDirectory;

	private final ContainerSettings container;

	private ProcessSpec(Builder builder) {
		this.name = Objects.requireNonNull(builder.name, "name");
		if (builder.command.isEmpty()) {
			throw new IllegalArgumentException("MCP server '" + this.name + "' has no command to launch");
		}
		this.command = List.copyOf(builder.command);
		this.env = Collections.unmodifiableMap(new LinkedHashMap<>(builder.env));
		this.inheritEnv = builder.inheritEnv;
		this.workingDirectory = builder.workingDirectory;
		this.container = builder.container;
	}

	/**
	 * Starts a spec for a server that runs the given executable.
	 * @param name the server's name, used in thread names, logs and errors
	 * @param executable the executable, a path or a name looked up on PATH
	 * @param args its arguments
	 * @return a builder
	 */
	public static Builder command(String name, String executable, List<String> args) {
		Builder builder = new Builder(name);
		builder.command.add(executable);
		builder.command.addAll(args);
		return builder;
	}

	/**
	 * Starts a spec for a Java MCP server run with this JVM's {@code java} launcher.
	 * @param name the server's name
	 * @param java what to run: a main class on this JVM's class path, or a jar
	 * @param args the program's arguments
	 * @return a builder
	 */
	public static Builder java(String name, JavaCommand java, List<String> args) {
		Builder builder = new Builder(name);
		builder.command.addAll(java.commandLine());
		builder.command.addAll(args);
		return builder;
	}

	public String name() {
		return this.name;
	}

	/** The executable followed by its arguments. */
	public List<String> command() {
		return this.command;
	}

	/**
	 * Variables added to (or, without {@link #inheritEnv()}, making up) the child's
	 * environment.
	 */
	public Map<String, String> env() {
		return this.env;
	}

	/**
	 * The values that must never be shown: every env value and secret-looking arguments.
	 */
	public List<String> secretValues() {
		List<String> values = new ArrayList<>(this.env.values());
		values.addAll(SecretMasking.secretArguments(this.command));
		return values;
	}

	public boolean inheritEnv() {
		return this.inheritEnv;
	}

	public @Nullable Path workingDirectory() {
		return this.workingDirectory;
	}

	/**
	 * How the command is run where it is a container engine's CLI running {@code run}.
	 */
	public ContainerSettings container() {
		return this.container;
	}

	@Override
	public String toString() {
		// env values are secrets: only their names are shown
		return "ProcessSpec[" + this.name + ": " + SecretMasking.maskCommand(this.command) + ", env="
				+ this.env.keySet() + "]";
	}

	/** Builds a {@link ProcessSpec}. */
	public static final class Builder {

		private final String name;

		private final List<String> command = new ArrayList<>();

		private final Map<String, String> env = new LinkedHashMap<>();

		private boolean inheritEnv = true;

		private @Nullable Path workingDirectory;

		private ContainerSettings container = ContainerSettings.DEFAULTS;

		private Builder(String name) {
			this.name = name;
		}

		public Builder env(Map<String, String> env) {
			this.env.putAll(env);
			return this;
		}

		public Builder inheritEnv(boolean inheritEnv) {
			this.inheritEnv = inheritEnv;
			return this;
		}

		public Builder workingDirectory(@Nullable Path workingDirectory) {
			this.workingDirectory = workingDirectory;
			return this;
		}

		public Builder container(ContainerSettings container) {
			this.container = container;
			return this;
		}

		public ProcessSpec build() {
			return new ProcessSpec(this);
		}

	}

}
