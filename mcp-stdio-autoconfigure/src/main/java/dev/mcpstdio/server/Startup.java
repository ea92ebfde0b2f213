package dev.mcpstdio.server;

/**
 * When a keep-alive server starts.
 */
public enum Startup {

	/** With the application context. */
	EAGER,

	/** On first use. */
	LAZY

}
