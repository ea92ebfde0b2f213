package dev.mcpstdio.gateway;

import java.time.Duration;
import java.util.List;

/**
 * What the gateway is configured with.
 *
 * @param basePath the path under which each server is served, without a trailing slash
 * @param servers the servers served; empty for all
 * @param sessionIdleTimeout how long a session may be idle before it ends
 * @param maxSessions the most sessions open at once
 * @param maxSessionsPerSubject the most sessions one authenticated caller may have open
 * @param eventBuffer the SSE events a session keeps for replay
 * @param maxMessageSize the largest request body accepted, in bytes
 * @param allowedHosts the host names the gateway answers
 * @param allowedOrigins the origins a browser may call from; empty for the allowed hosts'
 * @param instanceId the prefix of every session id, without a dot
 * @param perSubject the servers whose sessions share their subject's own process
 * @param drainTimeout how long shutdown waits for requests in flight before it ends the
 * sessions
 */
public record GatewaySettings(String basePath, List<String> servers, Duration sessionIdleTimeout, int maxSessions,
		int maxSessionsPerSubject, int eventBuffer, int maxMessageSize, List<String> allowedHosts,
		List<String> allowedOrigins, String instanceId, List<String> perSubject, Duration drainTimeout) {

	/** Whether the server's sessions share their subject's own process. */
	public boolean perSubject(String server) {
		return this.perSubject.contains(server);
	}

	/** Whether the gateway serves the server. */
	public boolean serves(String server) {
		return this.servers.isEmpty() || this.servers.contains(server);
	}

}
