package dev.mcpstdio.process.sandbox;

/**
 * How one server is confined.
 *
 * @param sandbox its sandbox
 * @param limits the limits of its process tree
 * @param noNewPrivileges whether nothing it starts may gain privileges through setuid
 * binaries
 */
public record Confinement(SandboxSettings sandbox, ResourceLimits limits, boolean noNewPrivileges) {

	/** No sandbox, no limits, no new privileges: a server's defaults. */
	public static final Confinement DEFAULTS = new Confinement(SandboxSettings.DISABLED, ResourceLimits.NONE, true);

}
