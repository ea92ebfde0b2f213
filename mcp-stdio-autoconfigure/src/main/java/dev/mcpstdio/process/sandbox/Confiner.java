package dev.mcpstdio.process.sandbox;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

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

	private final Set<String> warned = ConcurrentHashMap.newKeySet();

	/**
	 * Confines one launch of a server that runs on the host.
	 * @param server the server's name
	 * @param confinement how it is confined
	 * @param workingDirectory its working directory
	 * @param command its command line
	 * @param tools finds an executable ({@code bwrap}, {@code socat}, {@code prlimit},
	 * {@code sh}) on the server's PATH
	 * @return the launch's confinement; close it once its process has ended
	 * @throws ConfinementException if the server asked for a sandbox that cannot run here
	 * (and for nothing else instead) or a limit cannot be set
	 */
	public Confined confine(String server, Confinement confinement, Path workingDirectory, List<String> command,
			Function<String, Optional<Path>> tools) {
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
			return new Confined(setpriv, prefix, Map.of(), List.of(), limits, false, "off", null);
		}
		Optional<Path> bwrap = tools.apply("bwrap");
		Optional<String> unavailable = SandboxProbe.unavailable(bwrap.orElse(null));
		if (unavailable.isEmpty() && sandbox.filteredNetwork() && tools.apply("socat").isEmpty()) {
			unavailable = Optional.of("socat was not found on the server's PATH; it carries the filtering proxy of"
					+ " sandbox.network.allowed-domains into the sandbox. Install it (apt-get install socat).");
		}
		if (unavailable.isPresent()) {
			String message = "MCP server '" + server + "' asked for a sandbox, which cannot run: " + unavailable.get();
			if (sandbox.onUnavailable() == SandboxSettings.OnUnavailable.FAIL) {
				throw new ConfinementException(message);
			}
			if (this.warned.add(server)) {
				logger.warn("{} It runs unconfined (sandbox.on-unavailable: warn).", message);
			}
			return new Confined(setpriv, prefix, Map.of(), List.of(), limits, false, "unavailable", null);
		}
		DomainProxy proxy = sandbox.filteredNetwork() ? proxy(server, sandbox) : null;
		Map<String, String> variables = new LinkedHashMap<>();
		List<String> removed = new ArrayList<>();
		BwrapCommand.Proxy inside = null;
		if (proxy != null) {
			inside = new BwrapCommand.Proxy(proxy.directory(), tools.apply("socat").orElseThrow(),
					tools.apply("sh").orElse(Path.of("/bin/sh")));
			String url = "http://127.0.0.1:" + BwrapCommand.PROXY_PORT;
			PROXY_VARIABLES.forEach((name) -> variables.put(name, url));
			variables.put("ALL_PROXY", "socks5h://127.0.0.1:" + BwrapCommand.PROXY_PORT);
			variables.put("all_proxy", "socks5h://127.0.0.1:" + BwrapCommand.PROXY_PORT);
			removed.addAll(List.of("NO_PROXY", "no_proxy"));
		}
		// bubblewrap sets no_new_privs for what it runs itself
		prefix.addAll(BwrapCommand.prefix(bwrap.orElseThrow(), sandbox, workingDirectory, command, inside));
		return new Confined(setpriv, prefix, variables, removed, limits, false, "bubblewrap", proxy);
	}

	private static DomainProxy proxy(String server, SandboxSettings sandbox) {
		try {
			return DomainProxy.start(server, new DomainRules(sandbox.allowedDomains(), sandbox.deniedDomains()));
		}
		catch (IOException ex) {
			throw new ConfinementException("MCP server '" + server + "': the filtering proxy of its sandbox could not"
					+ " listen on a Unix socket in " + System.getProperty("java.io.tmpdir") + ": " + ex.getMessage()
					+ ". Make java.io.tmpdir writable.", ex);
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
			if (sandbox.filteredNetwork()) {
				throw new ConfinementException("MCP server '" + server
						+ "' runs in a container, whose network cannot be"
						+ " filtered by domain: sandbox.network.allowed-domains " + sandbox.allowedDomains()
						+ " (denied-domains " + sandbox.deniedDomains() + "). Set allowed-domains to [] (no network)"
						+ " or [\"*\"], and give the container the network it may use with the engine's own options.");
			}
			if (!sandbox.anyNetwork()) {
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
				confinement.sandbox().enabled() ? "container" : "off", null);
	}

}
