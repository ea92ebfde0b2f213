package dev.mcpstdio.process.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Confines servers: a process of the host through {@code setpriv --no-new-privs},
 * {@code prlimit} and bubblewrap; a container through its engine's run options, never
 * both.
 */
public final class Confiner {

	private static final Logger logger = LoggerFactory.getLogger(Confiner.class);

	private static final List<String> PROXY_VARIABLES = List.of("HTTP_PROXY", "HTTPS_PROXY", "http_proxy",
			"https_proxy");

	/**
	 * The private /tmp and /dev/shm of a server with no memory limit: each this size at
	 * most.
	 */
	static final long DEFAULT_TMPFS_BYTES = 256L << 20;

	private final Set<String> warned = ConcurrentHashMap.newKeySet();

	private final List<Path> starterState;

	/** A confiner that protects no state of the starter's. */
	public Confiner() {
		this(List.of());
	}

	/**
	 * A confiner.
	 * @param starterState the starter's own directories (the ledger), never writable by a
	 * sandboxed server
	 */
	public Confiner(List<Path> starterState) {
		this.starterState = List.copyOf(starterState);
		int reaped = SandboxDirectory.reapStale(Path.of(System.getProperty("java.io.tmpdir")));
		if (reaped > 0) {
			logger.info("Removed {} sandbox director{} left by JVMs that were killed outright", reaped,
					(reaped == 1) ? "y" : "ies");
		}
	}

	/**
	 * Confines one launch of a server that runs on the host.
	 * @param server the server's name
	 * @param confinement how it is confined
	 * @param workingDirectory the working directory the user set, or {@code null} for
	 * none (a sandboxed server then gets a private one)
	 * @param command its command line
	 * @param tools finds an executable ({@code bwrap}, {@code socat}, {@code prlimit},
	 * {@code sh}) on the server's PATH
	 * @return the launch's confinement; close it once its process has ended
	 * @throws ConfinementException if the server asked for a sandbox that cannot run here
	 * (and for nothing else instead) or a limit cannot be set
	 */
	public Confined confine(String server, Confinement confinement, @Nullable Path workingDirectory,
			List<String> command, Function<String, Optional<Path>> tools) {
		List<String> prefix = new ArrayList<>();
		ResourceLimits limits = confinement.limits();
		if (limits.any()) {
			Path prlimit = tools.apply("prlimit")
				.orElseThrow(() -> new ConfinementException("MCP server '" + server
						+ "' has limits, which need prlimit (util-linux), and it was not found on the server's PATH."
						+ " Install util-linux, or remove the server's limits."));
			prefix.add(prlimit.toString());
			prefix.addAll(limits.prlimitOptions());
			prefix.add("--");
		}
		SandboxSettings sandbox = confinement.sandbox();
		List<String> setpriv = confinement.noNewPrivileges() ? List.of("--no-new-privs") : List.of();
		if (!sandbox.enabled()) {
			return new Confined(setpriv, prefix, Map.of(), List.of(), limits, false, "off", null, null, null);
		}
		Optional<Path> bwrap = tools.apply("bwrap");
		Optional<String> unavailable = SandboxProbe.unavailable(sandbox, bwrap, tools);
		if (unavailable.isPresent()) {
			String message = "MCP server '" + server + "' asked for a sandbox, which cannot run: " + unavailable.get();
			if (sandbox.onUnavailable() == SandboxSettings.OnUnavailable.FAIL) {
				throw new ConfinementException(message);
			}
			if (this.warned.add(server)) {
				logger.warn("{} It runs unconfined (sandbox.on-unavailable: warn).", message);
			}
			return new Confined(setpriv, prefix, Map.of(), List.of(), limits, false, "unavailable", null, null, null);
		}
		warnOnce(server, sandbox);
		SandboxProbe.checkReachable(server, command);
		Path base = (workingDirectory != null) ? workingDirectory : Path.of(System.getProperty("user.dir"));
		List<Path> allowedSockets = UnixSockets.allowed(sandbox.allowUnixSockets(), base);
		byte[] filter = SeccompFilter.forThisMachine(!sandbox.allowUnixSockets().isEmpty()).orElseThrow();
		SandboxDirectory directory = directory(server, filter, workingDirectory == null);
		DomainProxy proxy = null;
		try {
			Path work = (workingDirectory != null) ? workingDirectory : Objects.requireNonNull(directory.work());
			List<Path> writable = new ArrayList<>(List.of(work));
			sandbox.allowWrite().forEach((path) -> writable.add(BwrapCommand.Paths.of(path, base)));
			PathRules paths = PathRules.of(sandbox, base, this.starterState, writable);
			warnOverlaps(server, paths, writable);
			List<Path> hiddenSockets = allowedSockets.isEmpty() ? List.of() : UnixSockets.hidden(allowedSockets);
			Path sh = tools.apply("sh").orElse(Path.of("/bin/sh"));
			BwrapCommand.Launch launch = new BwrapCommand.Launch(work, base, writable,
					withSockets(command, allowedSockets), paths, hiddenSockets, tmpfsBytes(limits), directory.filter(),
					sh);
			Map<String, String> variables = new LinkedHashMap<>();
			List<String> removed = new ArrayList<>();
			BwrapCommand.Proxy inside = null;
			if (sandbox.filteredNetwork()) {
				proxy = proxy(server, sandbox, directory);
				inside = new BwrapCommand.Proxy(proxy.directory(), tools.apply("socat").orElseThrow(), sh);
				String url = "http://127.0.0.1:" + BwrapCommand.PROXY_PORT;
				PROXY_VARIABLES.forEach((name) -> variables.put(name, url));
				variables.put("ALL_PROXY", "socks5h://127.0.0.1:" + BwrapCommand.PROXY_PORT);
				variables.put("all_proxy", "socks5h://127.0.0.1:" + BwrapCommand.PROXY_PORT);
				removed.addAll(List.of("NO_PROXY", "no_proxy"));
			}
			if (SandboxUser.applicationIsRoot()) {
				// root's home is not the server's to read: its own directory is its home
				variables.put("HOME", work.toString());
			}
			List<String> options = new ArrayList<>(setpriv);
			options.addAll(SandboxUser.setprivOptions());
			// bubblewrap sets no_new_privs for what it runs itself
			prefix.addAll(BwrapCommand.prefix(bwrap.orElseThrow(), sandbox, launch, inside));
			return new Confined(options, prefix, variables, removed, limits, false, "bubblewrap", proxy, directory,
					work);
		}
		catch (RuntimeException ex) {
			if (proxy != null) {
				proxy.close();
			}
			directory.close();
			throw ex;
		}
	}

	private static SandboxDirectory directory(String server, byte[] filter, boolean privateWork) {
		try {
			return SandboxDirectory.create(server, filter, privateWork);
		}
		catch (IOException ex) {
			throw new ConfinementException("MCP server '" + server + "': the directory of its sandbox could not be"
					+ " made in " + System.getProperty("java.io.tmpdir") + ": " + ex.getMessage()
					+ ". Make java.io.tmpdir writable.", ex);
		}
	}

	/**
	 * The command line, with the allowed sockets named so that they are bound into /tmp
	 * too.
	 */
	private static List<String> withSockets(List<String> command, List<Path> sockets) {
		if (sockets.isEmpty()) {
			return command;
		}
		List<String> words = new ArrayList<>(command);
		sockets.forEach((socket) -> words.add(socket.toString()));
		return words;
	}

	/** The size of the private /tmp and /dev/shm: the memory limit where one is set. */
	static long tmpfsBytes(ResourceLimits limits) {
		return (limits.memory() > 0) ? limits.memory() : DEFAULT_TMPFS_BYTES;
	}

	private void warnOnce(String server, SandboxSettings sandbox) {
		if (sandbox.hostNetwork() && this.warned.add(server + " host")) {
			logger.warn("MCP server '{}' shares the host's network (sandbox.network.host: true): it reaches every"
					+ " address the application reaches, the services on the host's loopback included, and"
					+ " sandbox.network.allowed-domains does not filter it", server);
		}
	}

	private void warnOverlaps(String server, PathRules paths, List<Path> writable) {
		if (!paths.neverWritable().isEmpty() && this.warned.add(server + " overlaps")) {
			logger.warn("MCP server '{}' may write where the application keeps its configuration, class path or"
					+ " state ({}); these stay read-only in its sandbox. Narrow its allow-write or"
					+ " working-directory.", server, paths.neverWritable());
		}
		if (SandboxUser.applicationIsRoot()) {
			for (Path path : writable.subList(1, writable.size())) {
				boolean canWrite = SandboxUser.canReach(path) && (!Files.exists(path) || SandboxUser.canWrite(path));
				if (!canWrite && this.warned.add(server + " " + path)) {
					logger.warn(
							"MCP server '{}' runs sandboxed as uid {} (the application runs as root) and cannot"
									+ " write its allow-write path {}: chown {} {} (or setfacl -m u:{}:rwx {})",
							server, SandboxUser.NOBODY, path, SandboxUser.NOBODY, path, SandboxUser.NOBODY, path);
				}
			}
		}
	}

	private static DomainProxy proxy(String server, SandboxSettings sandbox, SandboxDirectory directory) {
		DomainProxy proxy;
		Path socketDirectory;
		try {
			socketDirectory = directory.proxyDirectory();
			proxy = new DomainProxy(socketDirectory,
					new ProxyPolicy(server, new DomainRules(sandbox.allowedDomains(), sandbox.deniedDomains()),
							HostResolver.SYSTEM),
					sandbox.maxProxyConnections(), DomainProxy.DEFAULT_REQUEST_TIMEOUT, null);
		}
		catch (IOException ex) {
			throw new ConfinementException("MCP server '" + server + "': the filtering proxy of its sandbox could not"
					+ " listen on a Unix socket in " + System.getProperty("java.io.tmpdir") + ": " + ex.getMessage()
					+ ". Make java.io.tmpdir writable.", ex);
		}
		try {
			// the sandbox's user reaches the socket, nothing else of the directory
			Files.setPosixFilePermissions(socketDirectory, PosixFilePermissions.fromString("rwx--x--x"));
			SandboxUser.own(socketDirectory.resolve("proxy.sock"));
			return proxy;
		}
		catch (IOException ex) {
			proxy.close();
			throw new ConfinementException("MCP server '" + server + "': the socket of its filtering proxy could not"
					+ " be given to the sandbox's user: " + ex.getMessage(), ex);
		}
	}

	/**
	 * The run options that confine a server run in a container: the engine confines it,
	 * the starter adds nothing around the engine's CLI.
	 * @param server the server's name
	 * @param confinement how it is confined
	 * @return the options
	 * @throws ConfinementException where the engine cannot confine it so (a network of
	 * named domains)
	 */
	public static List<String> runOptions(String server, Confinement confinement) {
		List<String> options = new ArrayList<>();
		if (confinement.noNewPrivileges()) {
			options.add("--security-opt=no-new-privileges");
		}
		SandboxSettings sandbox = confinement.sandbox();
		if (sandbox.enabled()) {
			options.add("--read-only");
			options.add("--tmpfs=/tmp");
			options.add("--cap-drop=ALL");
			boolean anyHost = sandbox.allowedDomains().equals(List.of("*")) && sandbox.deniedDomains().isEmpty();
			if (!sandbox.allowedDomains().isEmpty() && !anyHost) {
				throw new ConfinementException("MCP server '" + server
						+ "' runs in a container, whose network cannot be"
						+ " filtered by domain: sandbox.network.allowed-domains " + sandbox.allowedDomains()
						+ " (denied-domains " + sandbox.deniedDomains() + "). Set allowed-domains to [] (no network)"
						+ " or [\"*\"], and give the container the network it may use with the engine's own options.");
			}
			if (sandbox.allowedDomains().isEmpty()) {
				options.add("--network=none");
			}
		}
		options.addAll(confinement.limits().runOptions());
		return options;
	}

	/**
	 * How one launch of a server run in a container is confined: by its engine.
	 * @param confinement how it is confined
	 * @return the launch's confinement
	 */
	public static Confined ofContainer(Confinement confinement) {
		return new Confined(List.of(), List.of(), Map.of(), List.of(), confinement.limits(), true,
				confinement.sandbox().enabled() ? "container" : "off", null, null, null);
	}

}
