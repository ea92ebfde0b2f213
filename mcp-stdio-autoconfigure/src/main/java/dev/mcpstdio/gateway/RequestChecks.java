package dev.mcpstdio.gateway;

import java.net.URI;
import java.util.List;
import java.util.Locale;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

/**
 * The checks against DNS rebinding and foreign pages: the Host header must name an
 * allowed host (the port aside), and an Origin, where a browser sends one, an allowed
 * origin (by default one on an allowed host).
 */
final class RequestChecks {

	private final List<String> hosts;

	private final List<String> origins;

	RequestChecks(List<String> hosts, List<String> origins) {
		this.hosts = hosts.stream().map((host) -> host.toLowerCase(Locale.ROOT)).toList();
		this.origins = origins;
	}

	/** Why the request is refused, or null if it passes. */
	@Nullable String refusal(HttpServletRequest request) {
		String host = request.getHeader("Host");
		if (host == null || !this.hosts.contains(hostName(host))) {
			return "Invalid Host: " + host + ". Add it to mcp.stdio.gateway.allowed-hosts if the gateway is served"
					+ " under that name";
		}
		String origin = request.getHeader("Origin");
		if (origin != null && !originAllowed(origin)) {
			return "Invalid Origin: " + origin + ". Add it to mcp.stdio.gateway.allowed-origins if pages from there"
					+ " may call the gateway";
		}
		return null;
	}

	private boolean originAllowed(String origin) {
		if (!this.origins.isEmpty()) {
			return this.origins.contains(origin);
		}
		try {
			URI uri = URI.create(origin);
			String host = uri.getHost();
			return host != null && ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
					&& this.hosts.contains(host.toLowerCase(Locale.ROOT));
		}
		catch (IllegalArgumentException ex) {
			return false;
		}
	}

	/** A Host header's name: lower case, the port aside, an IPv6 address in brackets. */
	static String hostName(String host) {
		String name = host.trim().toLowerCase(Locale.ROOT);
		if (name.startsWith("[")) {
			int end = name.indexOf(']');
			return (end > 0) ? name.substring(0, end + 1) : name;
		}
		int colon = name.indexOf(':');
		return (colon >= 0) ? name.substring(0, colon) : name;
	}

}
