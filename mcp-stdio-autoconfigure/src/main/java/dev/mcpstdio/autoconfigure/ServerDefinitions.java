package dev.mcpstdio.autoconfigure;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import dev.mcpstdio.autoconfigure.McpStdioProperties.Server;
import dev.mcpstdio.process.CommandResolver;
import dev.mcpstdio.process.JavaCommand;
import dev.mcpstdio.process.ProcessSpec;
import dev.mcpstdio.process.StopTimeouts;
import dev.mcpstdio.process.container.ContainerSettings;
import dev.mcpstdio.server.HealthSettings;
import dev.mcpstdio.server.RestartSettings;
import dev.mcpstdio.server.ServerDefinition;
import dev.mcpstdio.server.ServerGraph;
import dev.mcpstdio.server.ServerLifecycleSettings;
import dev.mcpstdio.server.SessionSettings;
import dev.mcpstdio.transport.ProgressTimeouts;
import dev.mcpstdio.transport.StdioTransportOptions;
import dev.mcpstdio.transport.ToolPolicy;
import org.jspecify.annotations.Nullable;

import org.springframework.core.NativeDetector;

/**
 * Turns {@link McpStdioProperties} into {@link ServerDefinition}s, failing with a
 * {@link McpStdioConfigurationException} that names the server, the property and the fix
 * for every bad input.
 */
final class ServerDefinitions {

	private final Map<String, String> systemEnvironment;

	private final List<String> applicationFiles;

	/** Whether the application is a native image, which has no class path to run. */
	private final boolean nativeImage;

	ServerDefinitions(Map<String, String> systemEnvironment) {
		this(systemEnvironment, List.of());
	}

	/**
	 * Definitions whose sandboxes protect the application's files.
	 * @param systemEnvironment the application's environment variables
	 * @param applicationFiles the application's configuration, as
	 * {@link ApplicationFiles} finds it
	 */
	ServerDefinitions(Map<String, String> systemEnvironment, List<String> applicationFiles) {
		this(systemEnvironment, applicationFiles, NativeDetector.inNativeImage());
	}

	/**
	 * Definitions for an application that is, or is not, a native image.
	 * @param systemEnvironment the application's environment variables
	 * @param applicationFiles the application's configuration
	 * @param nativeImage whether the application is a native image
	 */
	ServerDefinitions(Map<String, String> systemEnvironment, List<String> applicationFiles, boolean nativeImage) {
		this.systemEnvironment = systemEnvironment;
		this.applicationFiles = List.copyOf(applicationFiles);
		this.nativeImage = nativeImage;
	}

	List<ServerDefinition> create(McpStdioProperties properties) {
		List<ServerDefinition> definitions = new ArrayList<>();
		properties.getServers().forEach((name, server) -> definitions.add(create(name, server)));
		try {
			ServerGraph.of(definitions);
			NestedWritablePaths.warn(definitions);
		}
		catch (ServerGraph.Invalid ex) {
			String name = ex.getServerName();
			String action = (ex.getUnknownDependency() != null)
					? "Fix the name in " + property(name, "depends-on") + " or configure a server named '"
							+ ex.getUnknownDependency() + "'."
					: "Remove one of the depends-on entries of the cycle so that the servers can be started in order.";
			throw new McpStdioConfigurationException(name, property(name, "depends-on"), ex.getMessage(), action);
		}
		return definitions;
	}

	private ServerDefinition create(String name, Server server) {
		if (name.isBlank()) {
			throw new McpStdioConfigurationException(name, McpStdioProperties.PREFIX + ".servers",
					"An MCP server has a blank name", "Give every server under mcp.stdio.servers a name.");
		}
		validateDurations(name, server);
		validateSessions(name, server);
		Path workingDirectory = workingDirectory(name, server);
		ProcessSpec.Builder spec = launch(name, server, workingDirectory);
		ContainerSettings container = new ContainerSettings(server.getContainer().getEngine(),
				server.getContainer().isInit(), server.getContainer().isRemove());
		ProcessSpec processSpec = spec.env(server.getEnv())
			.inheritEnv(server.getInheritEnv())
			.passEnv(server.getPassEnv())
			.workingDirectory(workingDirectory)
			.container(container)
			.build();
		processSpec = spec
			.confinement(ServerConfinement.of(name, server, processSpec.command(), container, this.applicationFiles))
			.build();
		if (!server.getJava().isSet() || this.nativeImage) {
			// a Java server runs this JVM's own java launcher, by its absolute path; a
			// native image has none, and runs java from the PATH
			checkCommand(name, processSpec, workingDirectory);
		}
		StdioTransportOptions transport = new StdioTransportOptions(maxMessageSize(name, server),
				server.getStderr().getLevel(), server.getStderr().getTailLines(),
				server.getShutdown().getDrainTimeout(),
				new StopTimeouts(server.getShutdown().getEofTimeout(), server.getShutdown().getTermTimeout()),
				server.getRequestTimeout())
			.withTools(new ToolPolicy(server.getTools().getInclude(), server.getTools().getExclude(),
					server.getTools().getRequestTimeouts()))
			.withProgress(new ProgressTimeouts(server.isProgressResetsTimeout(), server.getMaxRequestTimeout()))
			.withMaxConcurrentRequests(server.getMaxConcurrentRequests());
		McpStdioProperties.Restart restart = server.getRestart();
		McpStdioProperties.Health health = server.getHealth();
		return ServerDefinition.builder(processSpec)
			.transportOptions(transport)
			.lifecycle(new ServerLifecycleSettings(server.isKeepAlive(), server.getIdleTimeout(), server.getStartup(),
					server.isRequired(), server.getDependsOn(), server.getInitializeTimeout()))
			.sessions(new SessionSettings(server.getPool().getMinIdle(), server.getMaxSessions()))
			.restart(new RestartSettings(restart.getPolicy(), restart.getMaxRestarts(), restart.getWindow(),
					restart.getInitialBackoff(), restart.getMaxBackoff()))
			.health(new HealthSettings(health.getPingInterval(), health.getPingTimeout(), health.getFailureThreshold()))
			.build();
	}

	private ProcessSpec.Builder launch(String name, Server server, @Nullable Path workingDirectory) {
		String executable = server.getCommand();
		boolean hasCommand = executable != null && !executable.isBlank();
		McpStdioProperties.Java java = server.getJava();
		if (hasCommand && java.isSet()) {
			throw new McpStdioConfigurationException(name, property(name, "command"),
					"MCP server '" + name + "' has both a command and java settings",
					"Set either " + property(name, "command") + " or " + property(name, "java.main-class") + " / "
							+ property(name, "java.jar") + ", not both.");
		}
		if (executable != null && hasCommand) {
			return ProcessSpec.command(name, executable, server.getArgs());
		}
		if (!java.isSet()) {
			throw new McpStdioConfigurationException(name, property(name, "command"),
					"MCP server '" + name + "' has neither a command nor a Java main class or jar",
					"Set " + property(name, "command") + " to the executable to run, or "
							+ property(name, "java.main-class") + " or " + property(name, "java.jar")
							+ " for a Java MCP server.");
		}
		String jarName = java.getJar();
		String mainClass = java.getMainClass();
		if ((mainClass == null) == (jarName == null)) {
			throw new McpStdioConfigurationException(name, property(name, "java.main-class"),
					"MCP server '" + name + "' needs exactly one of java.main-class and java.jar",
					"Set " + property(name, "java.main-class") + " to run a class of the application's class path, or "
							+ property(name, "java.jar") + " to run a jar, not both.");
		}
		JavaCommand command;
		if (jarName != null) {
			Path jar = resolve(jarName, workingDirectory);
			if (!Files.isRegularFile(jar)) {
				throw new McpStdioConfigurationException(name, property(name, "java.jar"),
						"MCP server '" + name + "': java.jar " + jar + " does not exist",
						"Fix " + property(name, "java.jar") + " to point at the server's jar.");
			}
			command = JavaCommand.jar(jar, java.getJvmArgs());
		}
		else if (this.nativeImage) {
			throw new McpStdioConfigurationException(name, property(name, "java.main-class"),
					"MCP server '" + name + "' runs java.main-class " + mainClass
							+ ", but the application is a native image: it has no class path to run the class from",
					"Run the server as a " + property(name, "command")
							+ " (a server of the application's own: the native executable itself, with an argument"
							+ " that makes it run the server), or as " + property(name, "java.jar")
							+ " with a JDK on the PATH.");
		}
		else {
			command = JavaCommand.mainClass(Objects.requireNonNull(mainClass), java.getJvmArgs());
		}
		return ProcessSpec.java(name, command, server.getArgs());
	}

	/** Looks the command up on the PATH its process will have. */
	private void checkCommand(String name, ProcessSpec spec, @Nullable Path workingDirectory) {
		String command = spec.command().get(0);
		CommandResolver resolver = CommandResolver.forChild(spec.environment(this.systemEnvironment),
				this.systemEnvironment);
		if (resolver.resolve(command, workingDirectory).isEmpty()) {
			boolean isPath = command.contains("/") || command.contains("\\");
			throw new McpStdioConfigurationException(name, property(name, "command"),
					"MCP server '" + name + "': command '" + command + "' was not found" + (isPath ? "" : " on PATH")
							+ " or is not executable",
					"Install it, set " + property(name, "command") + " to its absolute path, or add its directory to"
							+ " PATH (in " + property(name, "env") + ".PATH or the application's environment).");
		}
	}

	private static @Nullable Path workingDirectory(String name, Server server) {
		if (server.getWorkingDirectory() == null) {
			return null;
		}
		Path directory = Path.of(server.getWorkingDirectory()).toAbsolutePath();
		if (!Files.isDirectory(directory)) {
			throw new McpStdioConfigurationException(name, property(name, "working-directory"),
					"MCP server '" + name + "': working-directory " + directory + " does not exist",
					"Create the directory or fix " + property(name, "working-directory") + ".");
		}
		return directory;
	}

	private static void validateSessions(String name, Server server) {
		int minIdle = server.getPool().getMinIdle();
		int maxSessions = server.getMaxSessions();
		if (maxSessions < 1) {
			throw new McpStdioConfigurationException(name, property(name, "max-sessions"),
					"MCP server '" + name + "': max-sessions must be at least 1, but is " + maxSessions,
					"Set " + property(name, "max-sessions") + " to how many processes of it may run at once.");
		}
		if (minIdle < 0 || minIdle > maxSessions) {
			throw new McpStdioConfigurationException(name, property(name, "pool.min-idle"),
					"MCP server '" + name + "': pool.min-idle must be between 0 and max-sessions (" + maxSessions
							+ "), but is " + minIdle,
					"Set " + property(name, "pool.min-idle") + " to at most " + property(name, "max-sessions") + ".");
		}
		if (minIdle > 0 && server.isKeepAlive()) {
			throw new McpStdioConfigurationException(name, property(name, "pool.min-idle"),
					"MCP server '" + name + "' has pool.min-idle " + minIdle
							+ " but keep-alive: true, which shares one process and has no pool",
					"Set " + property(name, "keep-alive") + " to false for a process per session, or remove "
							+ property(name, "pool.min-idle") + ".");
		}
	}

	private static void validateDurations(String name, Server server) {
		Map<String, Duration> positive = new LinkedHashMap<>();
		positive.put("initialize-timeout", server.getInitializeTimeout());
		positive.put("request-timeout", server.getRequestTimeout());
		positive.put("shutdown.drain-timeout", server.getShutdown().getDrainTimeout());
		positive.put("shutdown.eof-timeout", server.getShutdown().getEofTimeout());
		positive.put("shutdown.term-timeout", server.getShutdown().getTermTimeout());
		positive.put("restart.window", server.getRestart().getWindow());
		positive.put("restart.initial-backoff", server.getRestart().getInitialBackoff());
		positive.put("restart.max-backoff", server.getRestart().getMaxBackoff());
		positive.put("health.ping-timeout", server.getHealth().getPingTimeout());
		server.getTools()
			.getRequestTimeouts()
			.forEach((tool, timeout) -> positive.put("tools.request-timeouts." + tool, timeout));
		positive.forEach((property, value) -> {
			if (value == null || value.isZero() || value.isNegative()) {
				throw invalid(name, property, value, "a positive duration such as 5s");
			}
		});
		Map<String, Duration> zeroMeansNever = Map.of("idle-timeout", server.getIdleTimeout(), "health.ping-interval",
				server.getHealth().getPingInterval(), "max-request-timeout", server.getMaxRequestTimeout());
		zeroMeansNever.forEach((property, value) -> {
			if (value == null || value.isNegative()) {
				throw invalid(name, property, value, "0 (never) or a positive duration such as 5m");
			}
		});
		if (server.getMaxConcurrentRequests() < 0) {
			throw invalid(name, "max-concurrent-requests", server.getMaxConcurrentRequests(), "0 (no cap) or more");
		}
		if (server.getRestart().getMaxRestarts() < 0) {
			throw invalid(name, "restart.max-restarts", server.getRestart().getMaxRestarts(), "0 or more");
		}
		if (server.getHealth().getFailureThreshold() < 1) {
			throw invalid(name, "health.failure-threshold", server.getHealth().getFailureThreshold(), "1 or more");
		}
		if (server.getStderr().getTailLines() < 0) {
			throw invalid(name, "stderr.tail-lines", server.getStderr().getTailLines(), "0 or more");
		}
	}

	private static int maxMessageSize(String name, Server server) {
		long bytes = server.getMaxMessageSize().toBytes();
		if (bytes <= 0 || bytes > Integer.MAX_VALUE - 8) {
			throw invalid(name, "max-message-size", server.getMaxMessageSize(), "a size between 1B and 2GB");
		}
		return (int) bytes;
	}

	static McpStdioConfigurationException invalid(String name, String property, @Nullable Object value,
			String expected) {
		return new McpStdioConfigurationException(name, property(name, property),
				"MCP server '" + name + "': " + property + " is " + value + ", but must be " + expected,
				"Set " + property(name, property) + " (or " + McpStdioProperties.PREFIX + ".defaults." + property
						+ ", which every server that does not set its own takes) to " + expected + ".");
	}

	private static Path resolve(String path, @Nullable Path workingDirectory) {
		Path resolved = Path.of(path);
		return (!resolved.isAbsolute() && workingDirectory != null) ? workingDirectory.resolve(resolved) : resolved;
	}

	static String property(String name, String property) {
		return McpStdioProperties.PREFIX + ".servers." + name + "." + property;
	}

}
