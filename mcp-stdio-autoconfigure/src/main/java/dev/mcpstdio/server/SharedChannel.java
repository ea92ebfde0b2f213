package dev.mcpstdio.server;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCMessage;

/**
 * A channel over a keep-alive server's shared process, bound to the one process
 * ({@link Generation}) that ran when it opened: when that process ends (exit, restart,
 * idle stop, stop) the channel ends with it. The answers to its own requests reach it,
 * notifications reach every channel, and a request of the server's reaches it when it is
 * the one channel with requests (or the one with a tool call) in flight
 * ({@link ClientConnections}). Closing it gives up on its requests still in flight and
 * leaves the process running.
 */
final class SharedChannel implements McpStdioChannel {

	private static final TypeRef<Map<String, Object>> OBJECT = new TypeRef<>() {
	};

	private final String name;

	private final Generation generation;

	private final Consumer<JSONRPCMessage> receiver;

	private final Runnable touch;

	private final ClientConnections connections;

	private final Map<String, Object> initializeResult;

	private final SentRequests sent = new SentRequests();

	private final CompletableFuture<Void> ended = new CompletableFuture<>();

	SharedChannel(String name, Generation generation, McpJsonMapper jsonMapper, ClientConnections connections,
			Runnable touch, Consumer<JSONRPCMessage> receiver) {
		this.name = name;
		this.generation = generation;
		this.receiver = receiver;
		this.touch = touch;
		this.connections = connections;
		this.initializeResult = jsonMapper.convertValue(generation.rawInitializeResult(), OBJECT);
		connections.addChannel(this);
		generation.transport().whenStopped().whenComplete((report, error) -> close());
	}

	@Override
	public String serverName() {
		return this.name;
	}

	@Override
	public boolean shared() {
		return true;
	}

	@Override
	public Map<String, Object> initializeResult() {
		return this.initializeResult;
	}

	@Override
	public long pid() {
		return this.generation.transport().pid();
	}

	@Override
	public void send(JSONRPCMessage message) {
		String id = this.sent.add(message);
		try {
			this.touch.run();
			this.generation.transport().sendMessage(message).block();
		}
		catch (RuntimeException ex) {
			this.sent.remove(id);
			throw ex;
		}
	}

	@Override
	public boolean cancel(Object id, String reason) {
		return this.sent.remove(id) && this.generation.transport().cancel(id, reason);
	}

	@Override
	public int inFlight() {
		return this.sent.size();
	}

	/** The requests this channel sent and that are not answered yet. */
	SentRequests sent() {
		return this.sent;
	}

	/** Hands a message of the process to the channel's receiver. */
	void deliver(JSONRPCMessage message) {
		this.receiver.accept(message);
	}

	@Override
	public CompletableFuture<Void> whenEnded() {
		return this.ended.copy();
	}

	@Override
	public void close() {
		if (!this.ended.complete(null)) {
			return;
		}
		this.connections.removeChannel(this);
		for (String id : this.sent.ids()) {
			cancel(id, "the gateway session ended");
		}
	}

}
