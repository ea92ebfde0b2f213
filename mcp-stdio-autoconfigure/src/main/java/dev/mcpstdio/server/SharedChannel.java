package dev.mcpstdio.server;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCMessage;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCRequest;

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

	/**
	 * The methods of the requests sent through this channel and not answered yet, by id.
	 */
	private final Map<String, String> sent = new ConcurrentHashMap<>();

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
		String id = (message instanceof JSONRPCRequest request) ? String.valueOf(request.id()) : null;
		if (id != null) {
			this.sent.put(id, ((JSONRPCRequest) message).method());
		}
		try {
			this.touch.run();
			this.generation.transport().sendMessage(message).block();
		}
		catch (RuntimeException ex) {
			if (id != null) {
				this.sent.remove(id);
			}
			throw ex;
		}
	}

	@Override
	public boolean cancel(Object id, String reason) {
		return this.sent.remove(String.valueOf(id)) != null && this.generation.transport().cancel(id, reason);
	}

	@Override
	public int inFlight() {
		return this.sent.size();
	}

	/** Whether this channel sent the request of the id, forgetting it if so. */
	boolean sent(Object id) {
		return this.sent.remove(String.valueOf(id)) != null;
	}

	/**
	 * Whether a tool call of this channel's is in flight: what a server asks its client
	 * during.
	 */
	boolean callsTool() {
		return this.sent.containsValue(McpSchema.METHOD_TOOLS_CALL);
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
		for (String id : List.copyOf(this.sent.keySet())) {
			cancel(id, "the gateway session ended");
		}
	}

}
