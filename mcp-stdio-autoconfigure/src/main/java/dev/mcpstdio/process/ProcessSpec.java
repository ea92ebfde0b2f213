package dev.mcpstdio.process;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Predicate;

import dev.mcpstdio.process.container.ContainerLauncher;
import dev.mcpstdio.process.container.ContainerSettings;
import dev.mcpstdio.process.platform.Platform;
import dev.mcpstdio.process.sandbox.Confinement;
import org.jspecify.annotations.Nullable;

/**
 * What to launch for one server: the command line (never run through a shell), the
 * environment and the working directory.
 */
public final class ProcessSpec {

	private final String name;

	private final List<String> command;

	private final Map<String, String> env;

	private final InheritEnv inheritEnv;

	private final List<String> passEnv;

	private final Globs passed;

	private final @Nullable Path workingDirectory;

	private final ContainerSettings container;

	private final Confinement confinement;

	private ProcessSpec(Builder builder) {
		this.name = Objects.requireNonNull(builder.name, "name");
		if (builder.command.isEmpty()) {
			throw new IllegalArgumentException("MCP server '" + this.name + "' has no command to launch");
		}
		this.command = List.copyOf(builder.command);
		this.env = Collections.unmodifiableMap(new LinkedHashMap<>(builder.env));
		this.inheritEnv = builder.inheritEnv;
		this.passEnv = List.copyOf(builder.passEnv);
		this.passed = Globs.environmentNames(this.passEnv);
		this.workingDirectory = builder.workingDirectory;
		this.container = builder.container;
		this.confinement = builder.confinement;
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

	/** The server's own variables, added to what it inherits. */
	public Map<String, String> env() {
		return this.env;
	}

	/**
	 * The child's environment: the application's variables that {@link #inheritEnv()}
	 * keeps or {@link #passEnv()} names (and, for a command that runs a container, the
	 * engine's own: DOCKER_HOST, XDG_RUNTIME_DIR, ...), then the server's own
	 * {@link #env()}.
	 * @param application the application's environment
	 * @return the variables the child gets
	 */
	public Map<String, String> environment(Map<String, String> application) {
		// names differ by case alone only where the system tells them apart
		Map<String, String> environment = Platform.isWindows() ? new TreeMap<>(String.CASE_INSENSITIVE_ORDER)
				: new TreeMap<>();
		Predicate<String> engine = ContainerLauncher.engineVariables(this.command, this.container);
		application.forEach((name, value) -> {
			if (this.inheritEnv.inherits(name) || this.passed.matches(name) || engine.test(name)) {
				environment.put(name, value);
			}
		});
		environment.putAll(this.env);
		return environment;
	}

	/**
	 * The values that must never be shown: every env value and secret-looking arguments.
	 */
	public List<String> secretValues() {
		List<String> values = new ArrayList<>(this.env.values());
		values.addAll(SecretMasking.secretArguments(this.command));
		return values;
	}

	/**
	 * A copy for one caller's own process: more variables over the server's own, and
	 * another working directory if one is given.
	 * @param moreEnv variables added (secrets: never shown, as the server's own)
	 * @param workingDirectory the directory, or null to keep the server's
	 * @return the copy
	 */
	public ProcessSpec with(Map<String, String> moreEnv, @Nullable Path workingDirectory) {
		Builder copy = new Builder(this.name);
		copy.command.addAll(this.command);
		return copy.env(this.env)
			.env(moreEnv)
			.inheritEnv(this.inheritEnv)
			.passEnv(this.passEnv)
			.workingDirectory((workingDirectory != null) ? workingDirectory : this.workingDirectory)
			.container(this.container)
			.confinement(this.confinement)
			.build();
	}

	/** Which of the application's variables the child inherits. */
	public InheritEnv inheritEnv() {
		return this.inheritEnv;
	}

	/** Names or globs of the application's variables passed as well. */
	public List<String> passEnv() {
		return this.passEnv;
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

	/** What the server may do: its sandbox, limits and privileges. */
	public Confinement confinement() {
		return this.confinement;
	}

	/**
	 * Whether the other spec launches the same: same name, command line, environment
	 * settings, working directory, container settings and confinement.
	 */
	@Override
	public boolean equals(@Nullable Object other) {
		return other instanceof ProcessSpec spec && this.name.equals(spec.name) && this.command.equals(spec.command)
				&& this.env.equals(spec.env) && this.inheritEnv == spec.inheritEnv && this.passEnv.equals(spec.passEnv)
				&& Objects.equals(this.workingDirectory, spec.workingDirectory) && this.container.equals(spec.container)
				&& this.confinement.equals(spec.confinement);
	}

	@Override
	public int hashCode() {
		return Objects.hash(this.name, this.command, this.env, this.inheritEnv, this.passEnv, this.workingDirectory,
				this.container, this.confinement);
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

		private InheritEnv inheritEnv = InheritEnv.MINIMAL;

		private List<String> passEnv = List.of();

		private @Nullable Path workingDirectory;

		private ContainerSettings container = ContainerSettings.DEFAULTS;

		private Confinement confinement = Confinement.DEFAULTS;

		private Builder(String name) {
			this.name = name;
		}

		public Builder env(Map<String, String> env) {
			this.env.putAll(env);
			return this;
		}

		public Builder inheritEnv(InheritEnv inheritEnv) {
			this.inheritEnv = inheritEnv;
			return this;
		}

		public Builder passEnv(List<String> passEnv) {
			this.passEnv = passEnv;
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

		public Builder confinement(Confinement confinement) {
			this.confinement = confinement;
			return this;
		}

		public ProcessSpec build() {
			return new ProcessSpec(this);
		}

	}

}
