package dev.mcpstdio.transport;

import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;

import dev.mcpstdio.fixture.Fixtures;
import dev.mcpstdio.process.ProcessLauncher;
import dev.mcpstdio.transport.observation.McpClientObservations;
import dev.mcpstdio.transport.observation.RequestObserver;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.TextContent;

/**
 * A fixture server behind a transport with the given options and an SDK client whose own
 * timeouts (30 s) leave the transport's to act, initialized.
 */
final class FixtureConnection implements AutoCloseable {

	final ManagedStdioTransport transport;

	final McpSyncClient client;

	private FixtureConnection(ManagedStdioTransport transport, McpSyncClient client) {
		this.transport = transport;
		this.client = client;
	}

	static FixtureConnection open(String name, StdioTransportOptions options) {
		return open(name, options, (spec) -> {
		});
	}

	static FixtureConnection open(String name, StdioTransportOptions options, Consumer<McpClient.SyncSpec> customizer) {
		return open(name, options, McpClientObservations.NONE, customizer);
	}

	static FixtureConnection open(String name, StdioTransportOptions options, McpClientObservations observations,
			Consumer<McpClient.SyncSpec> customizer, String... flags) {
		ManagedStdioTransport transport = new ManagedStdioTransport(ProcessLauncher.shared(),
				Fixtures.spec(name, flags), options, McpJsonDefaults.getMapper(), RequestObserver.NONE, observations);
		McpClient.SyncSpec spec = McpClient.sync(transport)
			.requestTimeout(Duration.ofSeconds(30))
			.initializationTimeout(Duration.ofSeconds(30));
		customizer.accept(spec);
		McpSyncClient client = spec.build();
		client.initialize();
		return new FixtureConnection(transport, client);
	}

	/** Calls a tool and returns the text of its answer. */
	String call(String tool, Map<String, Object> arguments) {
		return call(new CallToolRequest(tool, arguments));
	}

	String call(CallToolRequest request) {
		return ((TextContent) this.client.callTool(request).content().get(0)).text();
	}

	@Override
	public void close() {
		this.client.close();
	}

}
