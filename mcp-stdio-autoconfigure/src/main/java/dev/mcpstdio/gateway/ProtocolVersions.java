package dev.mcpstdio.gateway;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * The revisions of MCP the gateway speaks over Streamable HTTP.
 */
final class ProtocolVersions {

	/** Those it speaks, oldest first. */
	static final List<String> SUPPORTED = List.of("2025-03-26", "2025-06-18", "2025-11-25");

	/** What a request without the header is taken to speak, as the specification says. */
	static final String DEFAULT = "2025-03-26";

	private ProtocolVersions() {
	}

	/** The revision a session speaks: the client's if supported, else the latest. */
	static String negotiate(@Nullable Object requested) {
		return (requested != null && SUPPORTED.contains(requested.toString())) ? requested.toString()
				: SUPPORTED.get(SUPPORTED.size() - 1);
	}

	/** Whether a request's {@code MCP-Protocol-Version} header names one it speaks. */
	static boolean supported(@Nullable String header) {
		return header == null || SUPPORTED.contains(header.trim());
	}

	/** Whether the revision opens each SSE stream with a priming event and a retry. */
	static boolean primes(String version) {
		return version.compareTo("2025-11-25") >= 0;
	}

}
