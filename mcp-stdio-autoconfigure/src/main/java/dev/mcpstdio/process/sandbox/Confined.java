package dev.mcpstdio.process.sandbox;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * How one launch of a server is confined: the words around its command, the variables it
 * gets, and the proxy that lives as long as its process.
 */
public final class Confined implements AutoCloseable {

	private final List<String> setprivOptions;

	private final List<String> prefix;

	private final Map<String, String> variables;

	private final List<String> removedVariables;

	private final ResourceLimits limits;

	private final boolean container;

	private final String sandbox;

	private final @Nullable DomainProxy proxy;

	private final @Nullable SandboxDirectory directory;

	private final @Nullable Path workingDirectory;

	Confined(List<String> setprivOptions, List<String> prefix, Map<String, String> variables,
			List<String> removedVariables, ResourceLimits limits, boolean container, String sandbox,
			@Nullable DomainProxy proxy, @Nullable SandboxDirectory directory, @Nullable Path workingDirectory) {
		this.setprivOptions = List.copyOf(setprivOptions);
		this.prefix = List.copyOf(prefix);
		this.variables = Map.copyOf(variables);
		this.removedVariables = List.copyOf(removedVariables);
		this.limits = limits;
		this.container = container;
		this.sandbox = sandbox;
		this.proxy = proxy;
		this.directory = directory;
		this.workingDirectory = workingDirectory;
	}

	/**
	 * The directory the server runs in where its confinement decides it (a sandboxed
	 * server's own, or the one the user set); empty where the launcher decides.
	 */
	public Optional<Path> workingDirectory() {
		return Optional.ofNullable(this.workingDirectory);
	}

	/**
	 * Whether the process launched is bubblewrap, whose first child is the sandbox's
	 * init: the process whose death ends every process of the sandbox.
	 */
	public boolean hasSandboxInit() {
		return this.directory != null;
	}

	/** The options {@code setpriv} gets before the command ({@code --no-new-privs}). */
	public List<String> setprivOptions() {
		return this.setprivOptions;
	}

	/** The words between the launcher's own and the command's executable. */
	public List<String> prefix() {
		return this.prefix;
	}

	/**
	 * Sets the variables the confinement needs (the proxy's) and removes those that would
	 * defeat it ({@code NO_PROXY}).
	 * @param environment the child's environment
	 */
	public void applyTo(Map<String, String> environment) {
		this.removedVariables.forEach(environment::remove);
		environment.putAll(this.variables);
	}

	/**
	 * What confines the server, for its health: {@code bubblewrap}, {@code container},
	 * {@code unavailable} (asked for, run unconfined) or {@code off}.
	 */
	public String sandbox() {
		return this.sandbox;
	}

	/**
	 * The limit a process that ended exceeded.
	 * @param exitCode its exit code
	 * @param stderrTail its last stderr lines
	 * @return the property and its value ({@code limits.memory (128MB)}), or empty where
	 * no limit explains the end
	 */
	public Optional<String> exceededLimit(int exitCode, List<String> stderrTail) {
		return LimitBreach.of(this.limits, this.container, exitCode, stderrTail);
	}

	/**
	 * Stops the filtering proxy, if the server had one, and removes the sandbox's
	 * directory with what the server left in its private working directory.
	 */
	@Override
	public void close() {
		if (this.proxy != null) {
			this.proxy.close();
		}
		if (this.directory != null) {
			this.directory.close();
		}
	}

}
