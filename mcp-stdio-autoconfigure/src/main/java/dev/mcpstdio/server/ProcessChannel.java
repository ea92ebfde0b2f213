package dev.mcpstdio.server;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import dev.mcpstdio.transport.ManagedStdioTransport;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCMessage;

/**
 * A channel over a session's own process ({@code keep-alive: false}): the process's
 * messages go to the receiver in place of the session's client, and closing the channel
 * closes the session, which stops the process through the ladder.
 */
final class ProcessChannel implements McpStdioChannel {

	private static final TypeRef<Map<String, Object>> OBJECT = new TypeRef<>() {
	};

	private final McpStdioSession session;

	private final ManagedStdioTransport transport;

	private final Map<String, Object> initializeResult;

	private final CompletableFuture<Void> ended = new CompletableFuture<>();

	ProcessChannel(McpStdioSession session, ManagedStdioTransport transport, McpSyncClient client,
			McpJsonMapper jsonMapper, Consumer<JSONRPCMessage> receiver) {
		this.session = session;
		this.transport = transport;
		this.initializeResult = jsonMapper.convertValue(client.getCurrentInitializationResult(), OBJECT);
		transport.relayTo(receiver);
		transport.whenStopped().whenComplete((report, error) -> this.ended.complete(null));
	}

	@Override
	public String serverName() {
		return this.session.serverName();
	}

	@Override
	public boolean shared() {
		return false;
	}

	@Override
	public Map<String, Object> initializeResult() {
		return this.initializeResult;
	}

	@Override
	public long pid() {
		return this.transport.pid();
	}

	@Override
	public void send(JSONRPCMessage message) {
		this.transport.sendMessage(message).block();
	}

	@Override
	public boolean cancel(Object id, String reason) {
		return this.transport.cancel(id, reason);
	}

	@Override
	public int inFlight() {
		return this.transport.inFlightCount();
	}

	@Override
	public CompletableFuture<Void> whenEnded() {
		return this.ended.copy();
	}

	@Override
	public void close() {
		this.session.close();
	}

}
