package dev.mcpstdio.process.sandbox;

import java.util.List;

/**
 * A server's sandbox.
 *
 * @param enabled whether its process tree runs in a sandbox
 * @param onUnavailable what happens where no sandbox can run
 * @param allowWrite the paths it may write besides its working directory and a private
 * {@code /tmp} ({@code ~} for the user's home)
 * @param denyRead the paths hidden from it
 * @param denyWrite the paths read-only even inside a path it may write
 * @param allowedDomains the domains it may reach: none for no network, {@code *} for any,
 * {@code *.example.com} for the subdomains of one
 * @param deniedDomains the domains it may not reach even where allowed
 */
public record SandboxSettings(boolean enabled, OnUnavailable onUnavailable, List<String> allowWrite,
		List<String> denyRead, List<String> denyWrite, List<String> allowedDomains, List<String> deniedDomains) {

	/** No sandbox. */
	public static final SandboxSettings DISABLED = new SandboxSettings(false, OnUnavailable.FAIL, List.of(), List.of(),
			List.of(), List.of(), List.of());

	public SandboxSettings {
		allowWrite = List.copyOf(allowWrite);
		denyRead = List.copyOf(denyRead);
		denyWrite = List.copyOf(denyWrite);
		allowedDomains = List.copyOf(allowedDomains);
		deniedDomains = List.copyOf(deniedDomains);
	}

	/** Whether any network is reachable without a filter. */
	boolean anyNetwork() {
		return this.allowedDomains.contains("*") && this.deniedDomains.isEmpty();
	}

	/** Whether the network is reachable through the filtering proxy only. */
	boolean filteredNetwork() {
		return !this.allowedDomains.isEmpty() && !anyNetwork();
	}

	/** What a server that asked for a sandbox gets where none can run. */
	public enum OnUnavailable {

		/** It does not start: the error names what is missing and the fix. */
		FAIL,

		/** It runs unconfined, with a WARN. */
		WARN

	}

}
