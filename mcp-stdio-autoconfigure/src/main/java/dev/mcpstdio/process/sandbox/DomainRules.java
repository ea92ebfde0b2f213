package dev.mcpstdio.process.sandbox;

import java.util.List;
import java.util.Locale;

/**
 * Which hosts a sandboxed server may reach: {@code *} any, {@code *.example.com} the
 * subdomains of example.com, any other pattern that host alone; a denied pattern wins.
 */
final class DomainRules {

	private final List<String> allowed;

	private final List<String> denied;

	DomainRules(List<String> allowed, List<String> denied) {
		this.allowed = normalized(allowed);
		this.denied = normalized(denied);
	}

	boolean allows(String host) {
		String name = normalize(host);
		return this.allowed.stream().anyMatch((pattern) -> matches(pattern, name))
				&& this.denied.stream().noneMatch((pattern) -> matches(pattern, name));
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

}
