package dev.mcpstdio.process.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Proxies for the tests, each in a new private directory, as the {@link Confiner} starts
 * them in a launch's directory.
 */
final class Proxies {

	private Proxies() {
	}

	/** A proxy with the default limits. */
	static DomainProxy start(String server, DomainRules rules) throws IOException {
		return start(server, rules, SandboxSettings.DEFAULT_MAX_PROXY_CONNECTIONS, DomainProxy.DEFAULT_REQUEST_TIMEOUT);
	}

	/** A proxy with the limits given. */
	static DomainProxy start(String server, DomainRules rules, int maxConnections, Duration requestTimeout)
			throws IOException {
		Path directory = Files.createTempDirectory("mcp-stdio-proxy-");
		try {
			return new DomainProxy(directory, new ProxyPolicy(server, rules, HostResolver.SYSTEM), maxConnections,
					requestTimeout, null);
		}
		catch (IOException | RuntimeException ex) {
			Files.deleteIfExists(directory);
			throw ex;
		}
	}

}
