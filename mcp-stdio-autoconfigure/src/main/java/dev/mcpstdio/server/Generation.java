package dev.mcpstdio.server;

import java.time.Instant;

import dev.mcpstdio.transport.ManagedStdioTransport;
import dev.mcpstdio.transport.pipe.ControlCharacters;
import io.modelcontextprotocol.spec.McpSchema;

/**
 * One initialized process of a keep-alive server.
 *
 * @param transport its transport
 * @param rawInitializeResult the result of {@code initialize} as it came
 * @param result the same, mapped
 * @param startedAt when it was started
 */
record Generation(ManagedStdioTransport transport, Object rawInitializeResult, McpSchema.InitializeResult result,
		Instant startedAt) {

	/** The server's name and version, as it gave them, control characters escaped. */
	String serverInfo() {
		McpSchema.Implementation info = this.result.serverInfo();
		return (info != null) ? ControlCharacters.escape(info.name() + " " + info.version()) : "? ?";
	}

	/** Whether the server said it has tools. */
	boolean offersTools() {
		return this.result.capabilities() != null && this.result.capabilities().tools() != null;
	}

}
