package dev.mcpstdio.transport;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.mcpstdio.process.ProcessLauncher;
import dev.mcpstdio.process.ProcessSpec;
import dev.mcpstdio.process.StopTimeouts;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.TextContent;

/**
 * The transports a test opens over fixture servers, stopped after it, and what the
 * transport tests ask of them.
 */
final class Transports {

	/** Short stop timeouts: the fixtures that ignore EOF and SIGTERM end soon. */
	static final StdioTransportOptions OPTIONS = StdioTransportOptions.defaults()
		.withStopTimeouts(Duration.ofSeconds(2), new StopTimeouts(Duration.ofSeconds(2), Duration.ofMillis(600)));

	private final List<ManagedStdioTransport> open = new ArrayList<>();

	/** Opens a transport with {@link #OPTIONS}. */
	ManagedStdioTransport open(ProcessSpec spec) {
		return open(spec, OPTIONS);
	}

	/** Opens a transport with these options. */
	ManagedStdioTransport open(ProcessSpec spec, StdioTransportOptions options) {
		return add(new ManagedStdioTransport(ProcessLauncher.shared(), spec, options, McpJsonDefaults.getMapper()));
	}

	/** Stops a transport the test made itself along with the others. */
	ManagedStdioTransport add(ManagedStdioTransport transport) {
		this.open.add(transport);
		return transport;
	}

	/** Stops every transport the test opened. */
	void stopAll() {
		this.open.forEach(ManagedStdioTransport::stop);
	}

	/** A client over a transport, with this request timeout. */
	static McpSyncClient client(ManagedStdioTransport transport, Duration timeout) {
		return McpClient.sync(transport).requestTimeout(timeout).initializationTimeout(Duration.ofSeconds(30)).build();
	}

	/** The text of a tool's first content. */
	static String text(CallToolResult result) {
		return ((TextContent) result.content().get(0)).text();
	}

}
