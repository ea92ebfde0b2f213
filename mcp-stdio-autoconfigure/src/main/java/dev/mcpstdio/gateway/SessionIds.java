package dev.mcpstdio.gateway;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * Session ids that name their owner: {@code <instance-id>.<random>}, 160 random bits in
 * base64url, so that a proxy routes on the prefix alone and no id can be guessed.
 */
final class SessionIds {

	private static final int RANDOM_BYTES = 20;

	private final String instanceId;

	private final SecureRandom random = new SecureRandom();

	SessionIds(String instanceId) {
		if (instanceId.isEmpty() || !instanceId.matches("[A-Za-z0-9_-]+")) {
			throw new IllegalArgumentException("mcp.stdio.gateway.instance-id '" + instanceId
					+ "' must be letters, digits, '-' or '_' (no dot): it is the prefix of every session id");
		}
		this.instanceId = instanceId;
	}

	String next() {
		byte[] bytes = new byte[RANDOM_BYTES];
		this.random.nextBytes(bytes);
		return this.instanceId + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

	/** An instance id made from a host name: what is not allowed in one becomes '-'. */
	static String fromHostName(String hostName) {
		String id = hostName.replaceAll("[^A-Za-z0-9_-]", "-");
		return id.isEmpty() ? "gateway" : id;
	}

}
