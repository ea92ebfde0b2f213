package dev.mcpstdio.actuate;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.mcpstdio.process.ProcessFigures;
import dev.mcpstdio.process.ProcessSpec;
import dev.mcpstdio.process.SecretMasking;
import dev.mcpstdio.process.sandbox.Confinement;
import dev.mcpstdio.process.sandbox.ResourceLimits;
import dev.mcpstdio.process.sandbox.SandboxSettings;
import dev.mcpstdio.server.McpStdioServer;
import dev.mcpstdio.server.ServerDefinition;
import dev.mcpstdio.server.ServerStatus;
import dev.mcpstdio.transport.ToolPolicy;
import org.jspecify.annotations.Nullable;

/**
 * What health and the endpoint show of a server: never an env value, never a
 * secret-looking argument.
 */
final class ServerDetails {

	private ServerDetails() {
	}

	/** The details of the health component. */
	static Map<String, Object> health(ServerStatus status) {
		Map<String, Object> details = new LinkedHashMap<>();
		putIfPresent(details, "pid", status.pid());
		details.put("state", status.state());
		details.put("uptime", status.uptime().toString());
		details.put("restarts", status.restarts());
		putIfPresent(details, "lastExitCode", status.lastExitCode());
		putIfPresent(details, "lastError", status.lastError());
		if (status.pings().lastRoundTrip() != null) {
			details.put("lastPingRoundTripMillis", millis(status.pings().lastRoundTrip()));
		}
		if (status.pings().consecutiveFailures() > 0) {
			details.put("failedPings", status.pings().consecutiveFailures());
		}
		putIfPresent(details, "serverName", status.serverName());
		putIfPresent(details, "serverVersion", status.serverVersion());
		putIfPresent(details, "protocolVersion", status.protocolVersion());
		putIfPresent(details, "toolCount", status.toolCount());
		putIfPresent(details, "sandbox", status.sandbox());
		ServerStatus.ContainerInfo container = status.container();
		if (container != null) {
			details.put("containerEngine", container.engine());
			putIfPresent(details, "containerId", container.id());
		}
		ServerStatus.Pool pool = status.pool();
		if (pool != null) {
			details.put("sessions", status.sessions());
			details.put("idle", pool.idle());
			details.put("stopping", pool.stopping());
			details.put("minIdle", pool.minIdle());
			details.put("maxSessions", pool.maxSessions());
			details.put("sessionWaits", pool.waits());
			details.put("sessionsRefused", pool.refusals());
		}
		else if (status.sessions() > 0) {
			details.put("sessions", status.sessions());
		}
		if (!status.stderrTail().isEmpty()) {
			details.put("stderrTail", status.stderrTail());
		}
		return details;
	}

	/** The endpoint's view of a server: configuration, status and process figures. */
	static Map<String, Object> endpoint(McpStdioServer server) {
		ServerStatus status = server.status();
		Map<String, Object> view = new LinkedHashMap<>();
		view.put("name", server.name());
		view.putAll(health(status));
		if (status.pid() != null) {
			ProcessFigures.of(status.pid()).ifPresent((figures) -> view.put("process", process(figures)));
		}
		view.put("configuration", configuration(server.definition()));
		return view;
	}

	private static Map<String, Object> process(ProcessFigures figures) {
		Map<String, Object> process = new LinkedHashMap<>();
		process.put("cpuTimeMillis", millis(figures.cpuTime()));
		if (figures.residentBytes() >= 0) {
			process.put("residentMemoryBytes", figures.residentBytes());
		}
		if (figures.threads() >= 0) {
			process.put("threads", figures.threads());
		}
		process.put("descendants", figures.descendants());
		return process;
	}

	private static Map<String, Object> confinement(Confinement confinement) {
		SandboxSettings sandbox = confinement.sandbox();
		Map<String, Object> settings = new LinkedHashMap<>();
		settings.put("sandbox", sandbox.enabled() ? sandbox(sandbox) : false);
		ResourceLimits limits = confinement.limits();
		settings.put("limits", Map.of("memory", limits.memory(), "cpuTime", limits.cpuTime().toString(), "processes",
				limits.processes(), "openFiles", limits.openFiles(), "fileSize", limits.fileSize()));
		settings.put("noNewPrivileges", confinement.noNewPrivileges());
		return settings;
	}

	private static Map<String, Object> configuration(ServerDefinition definition) {
		ProcessSpec spec = definition.processSpec();
		Map<String, Object> configuration = new LinkedHashMap<>();
		String classPath = System.getProperty("java.class.path");
		configuration.put("command",
				SecretMasking.maskCommand(spec.command())
					.stream()
					.map((arg) -> arg.equals(classPath) ? "<the application's class path>" : arg)
					.toList());
		Map<String, String> env = new LinkedHashMap<>();
		spec.env().keySet().forEach((key) -> env.put(key, SecretMasking.MASK));
		configuration.put("env", env);
		configuration.put("inheritEnv", spec.inheritEnv());
		configuration.put("passEnv", spec.passEnv());
		// which variables the process gets, by name only: never a value
		configuration.put("environment", List.copyOf(spec.environment(System.getenv()).keySet()));
		configuration.put("confinement", confinement(spec.confinement()));
		ToolPolicy tools = definition.transportOptions().tools();
		Map<String, String> toolTimeouts = new LinkedHashMap<>();
		tools.requestTimeouts().forEach((tool, timeout) -> toolTimeouts.put(tool, timeout.toString()));
		configuration.put("tools",
				Map.of("include", tools.include(), "exclude", tools.exclude(), "requestTimeouts", toolTimeouts));
		putIfPresent(configuration, "workingDirectory",
				(spec.workingDirectory() != null) ? spec.workingDirectory().toString() : null);
		configuration.put("keepAlive", definition.keepAlive());
		if (!definition.keepAlive()) {
			configuration.put("pool", Map.of("minIdle", definition.sessions().minIdle(), "maxSessions",
					definition.sessions().maxSessions()));
		}
		configuration.put("startup", definition.startup());
		configuration.put("required", definition.required());
		configuration.put("dependsOn", definition.dependsOn());
		configuration.put("idleTimeout", definition.idleTimeout().toString());
		configuration.put("initializeTimeout", definition.initializeTimeout().toString());
		configuration.put("requestTimeout", definition.requestTimeout().toString());
		configuration.put("maxMessageSize", definition.transportOptions().maxMessageSize());
		configuration.put("maxConcurrentRequests", definition.transportOptions().maxConcurrentRequests());
		configuration.put("progress", Map.of("resetsTimeout", definition.transportOptions().progress().resetsTimeout(),
				"maxRequestTimeout", definition.transportOptions().progress().maxRequestTimeout().toString()));
		configuration.put("shutdown",
				Map.of("drainTimeout", definition.transportOptions().drainTimeout().toString(), "eofTimeout",
						definition.transportOptions().stopTimeouts().eof().toString(), "termTimeout",
						definition.transportOptions().stopTimeouts().term().toString()));
		configuration.put("restart",
				Map.of("policy", definition.restart().policy(), "maxRestarts", definition.restart().maxRestarts(),
						"window", definition.restart().window().toString(), "initialBackoff",
						definition.restart().initialBackoff().toString(), "maxBackoff",
						definition.restart().maxBackoff().toString()));
		configuration.put("health",
				Map.of("pingInterval", definition.health().pingInterval().toString(), "pingTimeout",
						definition.health().pingTimeout().toString(), "failureThreshold",
						definition.health().failureThreshold()));
		return configuration;
	}

	/**
	 * A sandbox as configured, with the effective lists: what it hides and never lets
	 * write.
	 */
	private static Map<String, Object> sandbox(SandboxSettings sandbox) {
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("onUnavailable", sandbox.onUnavailable());
		details.put("allowWrite", sandbox.allowWrite());
		details.put("denyRead", sandbox.denyRead());
		details.put("allowRead", sandbox.allowRead());
		details.put("denyWrite", sandbox.denyWrite());
		details.put("hidden", sandbox.hidden());
		details.put("neverWritable", sandbox.neverWritable());
		details.put("allowedDomains", sandbox.allowedDomains());
		details.put("deniedDomains", sandbox.deniedDomains());
		details.put("allowUnixSockets", sandbox.allowUnixSockets());
		details.put("hostNetwork", sandbox.hostNetwork());
		details.put("maxProxyConnections", sandbox.maxProxyConnections());
		return details;
	}

	private static double millis(Duration duration) {
		return duration.toNanos() / 1_000_000.0;
	}

	private static void putIfPresent(Map<String, Object> map, String key, @Nullable Object value) {
		if (value != null) {
			map.put(key, value);
		}
	}

	static List<Map<String, Object>> all(List<McpStdioServer> servers) {
		return servers.stream().map(ServerDetails::endpoint).toList();
	}

}
