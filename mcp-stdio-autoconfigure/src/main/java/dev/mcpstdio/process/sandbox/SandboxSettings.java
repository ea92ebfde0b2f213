package dev.mcpstdio.process.sandbox;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A server's sandbox.
 *
 * @param enabled whether its process tree runs in a sandbox
 * @param onUnavailable what happens where no sandbox can run
 * @param allowWrite the paths it may write besides its working directory and a private
 * {@code /tmp} ({@code ~} for the user's home)
 * @param denyRead the paths hidden from it, on top of the home's credential stores
 * ({@code ~/.ssh}, {@code ~/.aws}, ...) and the application's files
 * @param allowRead the paths it may read although the defaults hide them
 * @param denyWrite the paths read-only even inside a path it may write
 * @param allowedDomains the domains it may reach through the filtering proxy: none for no
 * network, {@code *} for any public host, {@code *.example.com} for the subdomains of one
 * @param deniedDomains the domains it may not reach even where allowed
 * @param allowUnixSockets the host's unix sockets (paths) it may connect to
 * @param hostNetwork whether it shares the host's network namespace, unfiltered
 * @param maxProxyConnections the connections through its filtering proxy at once
 * @param applicationFiles the application's own configuration (the config-file, its
 * configuration locations): never writable, hidden unless {@code allowRead} names them
 */
public record SandboxSettings(boolean enabled, OnUnavailable onUnavailable, List<String> allowWrite,
		List<String> denyRead, List<String> allowRead, List<String> denyWrite, List<String> allowedDomains,
		List<String> deniedDomains, List<String> allowUnixSockets, boolean hostNetwork, int maxProxyConnections,
		List<String> applicationFiles) {

	/**
	 * The connections through a filtering proxy at once, unless a server says otherwise.
	 */
	public static final int DEFAULT_MAX_PROXY_CONNECTIONS = 64;

	/** No sandbox. */
	public static final SandboxSettings DISABLED = new SandboxSettings(false, OnUnavailable.FAIL, List.of(), List.of(),
			List.of(), List.of(), List.of());

	public SandboxSettings {
		allowWrite = List.copyOf(allowWrite);
		denyRead = List.copyOf(denyRead);
		allowRead = List.copyOf(allowRead);
		denyWrite = List.copyOf(denyWrite);
		allowedDomains = List.copyOf(allowedDomains);
		deniedDomains = List.copyOf(deniedDomains);
		allowUnixSockets = List.copyOf(allowUnixSockets);
		applicationFiles = List.copyOf(applicationFiles);
	}

	/**
	 * A sandbox with the paths and domains given, nothing read back, no unix socket, no
	 * host network and no application files.
	 * @param enabled see {@link #enabled()}
	 * @param onUnavailable see {@link #onUnavailable()}
	 * @param allowWrite see {@link #allowWrite()}
	 * @param denyRead see {@link #denyRead()}
	 * @param denyWrite see {@link #denyWrite()}
	 * @param allowedDomains see {@link #allowedDomains()}
	 * @param deniedDomains see {@link #deniedDomains()}
	 */
	public SandboxSettings(boolean enabled, OnUnavailable onUnavailable, List<String> allowWrite, List<String> denyRead,
			List<String> denyWrite, List<String> allowedDomains, List<String> deniedDomains) {
		this(enabled, onUnavailable, allowWrite, denyRead, List.of(), denyWrite, allowedDomains, deniedDomains,
				List.of(), false, DEFAULT_MAX_PROXY_CONNECTIONS, List.of());
	}

	/**
	 * What the sandbox hides, as written: the home's credential stores, the application's
	 * files and {@code denyRead}, less what {@code allowRead} gives back.
	 */
	public List<String> hidden() {
		return PathRules.hiddenPatterns(this);
	}

	/**
	 * What the sandbox never lets the server write, whatever {@code allowWrite} says: the
	 * application's files and class path (and the starter's ledger).
	 */
	public List<String> neverWritable() {
		List<String> paths = new ArrayList<>(this.applicationFiles);
		paths.addAll(PathRules.classPath());
		return paths;
	}

	/**
	 * The allow-write paths as the sandbox resolves them.
	 * @param base what relative paths are relative to: the server's working directory,
	 * else the application's
	 * @return the paths, absolute and normalized
	 */
	public List<Path> allowWritePaths(Path base) {
		return this.allowWrite.stream().map((path) -> BwrapCommand.Paths.of(path, base)).toList();
	}

	/** Whether the network is reachable through the filtering proxy only. */
	boolean filteredNetwork() {
		return !this.hostNetwork && !this.allowedDomains.isEmpty();
	}

	/** What a server that asked for a sandbox gets where none can run. */
	public enum OnUnavailable {

		/** It does not start: the error names what is missing and the fix. */
		FAIL,

		/** It runs unconfined, with a WARN. */
		WARN

	}

}
