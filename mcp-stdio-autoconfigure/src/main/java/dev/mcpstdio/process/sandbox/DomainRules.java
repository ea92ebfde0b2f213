package dev.mcpstdio.process.sandbox;

import java.util.List;
import java.util.Locale;

/**
 * Which hosts a sandboxed server may reach: {@code *} any, {@code *.example.com} the
 * subdomains of example.com, any other pattern that host alone; a denied pattern wins. It
 * judges names as written; what they may reach is {@link ProxyPolicy}'s.
 */
final class DomainRules {

	private final List<String> allowed;

	private final List<String> denied;

	DomainRules(List<String> allowed, List<String> denied) {
		this.allowed = normalized(allowed);
		this.denied = normalized(denied);
	}

	boolean allows(String host) {
		return match(host) != Match.NONE;
	}

	/**
	 * How a host is allowed: not at all, written literally (it may reach whatever it
	 * resolves to), or only by a wildcard.
	 * @param host a name or an IP literal, as requested
	 * @return how it is allowed
	 */
	Match match(String host) {
		String name = normalize(host);
		if (this.denied.stream().anyMatch((pattern) -> matches(pattern, name))) {
			return Match.NONE;
		}
		if (!name.startsWith("*") && this.allowed.contains(name)) {
			return Match.LITERAL;
		}
		return this.allowed.stream().anyMatch((pattern) -> matches(pattern, name)) ? Match.WILDCARD : Match.NONE;
	}

	private static boolean matches(String pattern, String host) {
		if (pattern.equals("*")) {
			return true;
		}
		if (pattern.startsWith("*.")) {
			return host.endsWith(pattern.substring(1));
		}
		return host.equals(pattern);
	}

	private static List<String> normalized(List<String> patterns) {
		return patterns.stream().map(DomainRules::normalize).toList();
	}

	private static String normalize(String host) {
		String name = host.trim().toLowerCase(Locale.ROOT);
		if (name.startsWith("[") && name.endsWith("]")) {
			name = name.substring(1, name.length() - 1);
		}
		return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
	}

	/** How a host is allowed. */
	enum Match {

		/** Not allowed, or denied. */
		NONE,

		/** Written as it is in allowed-domains. */
		LITERAL,

		/** Matched by {@code *} or {@code *.domain} only. */
		WILDCARD

	}

}
