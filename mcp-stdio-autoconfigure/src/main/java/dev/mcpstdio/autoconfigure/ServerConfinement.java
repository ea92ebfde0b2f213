package dev.mcpstdio.autoconfigure;

import java.util.List;
import java.util.regex.Pattern;

import dev.mcpstdio.autoconfigure.McpStdioProperties.Limits;
import dev.mcpstdio.autoconfigure.McpStdioProperties.Sandbox;
import dev.mcpstdio.process.container.ContainerLauncher;
import dev.mcpstdio.process.container.ContainerSettings;
import dev.mcpstdio.process.sandbox.Confinement;
import dev.mcpstdio.process.sandbox.ConfinementException;
import dev.mcpstdio.process.sandbox.Confiner;
import dev.mcpstdio.process.sandbox.ResourceLimits;
import dev.mcpstdio.process.sandbox.SandboxSettings;

/**
 * A server's sandbox, limits and privileges as bound, checked: limits not negative,
 * domains that are names or patterns of them, and a container that its engine can
 * confine.
 */
final class ServerConfinement {

	private static final Pattern DOMAIN = Pattern.compile("\\*|(\\*\\.)?[A-Za-z0-9_\\[:]([A-Za-z0-9_.:\\[\\]-]*)");

	private ServerConfinement() {
	}

	static Confinement of(String name, McpStdioProperties.Server server, List<String> command,
			ContainerSettings container, List<String> applicationFiles) {
		Sandbox sandbox = server.getSandbox();
		McpStdioProperties.Filesystem filesystem = sandbox.getFilesystem();
		McpStdioProperties.Network network = sandbox.getNetwork();
		domains(name, "sandbox.network.allowed-domains", network.getAllowedDomains());
		domains(name, "sandbox.network.denied-domains", network.getDeniedDomains());
		if (network.getMaxConnections() <= 0) {
			throw ServerDefinitions.invalid(name, "sandbox.network.max-connections", network.getMaxConnections(),
					"a positive number of connections");
		}
		Confinement confinement = new Confinement(
				new SandboxSettings(sandbox.isEnabled(), sandbox.getOnUnavailable(), filesystem.getAllowWrite(),
						filesystem.getDenyRead(), filesystem.getAllowRead(), filesystem.getDenyWrite(),
						network.getAllowedDomains(), network.getDeniedDomains(), network.getAllowUnixSockets(),
						network.isHost(), network.getMaxConnections(), applicationFiles),
				limits(name, server.getLimits()), server.isNoNewPrivileges());
		if (ContainerLauncher.isContainer(command, container)) {
			try {
				Confiner.runOptions(name, confinement);
			}
			catch (ConfinementException ex) {
				throw new McpStdioConfigurationException(name,
						ServerDefinitions.property(name, "sandbox.network.allowed-domains"), ex.getMessage(),
						"Set " + ServerDefinitions.property(name, "sandbox.network.allowed-domains")
								+ " to [] or [\"*\"] for a server run in a container, or run the server"
								+ " outside a container to filter its network by domain.");
			}
		}
		return confinement;
	}

	private static ResourceLimits limits(String name, Limits limits) {
		notNegative(name, "limits.memory", limits.getMemory().toBytes());
		notNegative(name, "limits.cpu-time", limits.getCpuTime().toMillis());
		notNegative(name, "limits.processes", limits.getProcesses());
		notNegative(name, "limits.open-files", limits.getOpenFiles());
		notNegative(name, "limits.file-size", limits.getFileSize().toBytes());
		return new ResourceLimits(limits.getMemory().toBytes(), limits.getCpuTime(), limits.getProcesses(),
				limits.getOpenFiles(), limits.getFileSize().toBytes());
	}

	private static void notNegative(String name, String property, long value) {
		if (value < 0) {
			throw ServerDefinitions.invalid(name, property, value, "0 (no limit) or a positive value");
		}
	}

	private static void domains(String name, String property, List<String> domains) {
		for (String domain : domains) {
			if (domain == null || !DOMAIN.matcher(domain.trim()).matches()) {
				throw ServerDefinitions.invalid(name, property, domains,
						"a list of host names: * for any, *.example.com for the subdomains of example.com (no"
								+ " scheme, path or other wildcard)");
			}
		}
	}

}
