package dev.mcpstdio.gateway;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import dev.mcpstdio.server.McpStdioChannel;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCMessage;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCRequest;

/**
 * One session's channel to its subject's process ({@link SubjectProcess}): shared, as a
 * keep-alive server's, so the session remaps its ids and tokens. It remembers the
 * requests it sent, for the answers and for the server's own requests; closing it gives
 * up on those still in flight, and the last one closed stops the process.
 */
final class SubjectChannel implements McpStdioChannel {

	private final SubjectProcess owner;

	private final McpStdioChannel process;

	private final Consumer<JSONRPCMessage> receiver;

	/** The methods of the requests sent and not answered yet, by id. */
	private final Map<String, String> sent = new ConcurrentHashMap<>();

	private final CompletableFuture<Void> ended = new CompletableFuture<>();

	SubjectChannel(SubjectProcess owner, McpStdioChannel process, Consumer<JSONRPCMessage> receiver) {
		this.owner = owner;
		this.process = process;
		this.receiver = receiver;
	}

	@Override
	public String serverName() {
		return this.process.serverName();
	}

	@Override
	public boolean shared() {
		return true;
	}

	@Override
	public Map<String, Object> initializeResult() {
		return this.process.initializeResult();
	}

	@Override
	public long pid() {
		return this.process.pid();
	}

	@Override
	public void send(JSONRPCMessage message) {
		String id = (message instanceof JSONRPCRequest request) ? String.valueOf(request.id()) : null;
		if (id != null) {
			this.sent.put(id, ((JSONRPCRequest) message).method());
		}
		try {
			this.process.send(message);
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
		return this.sent.remove(String.valueOf(id)) != null && this.process.cancel(id, reason);
	}

	@Override
	public int inFlight() {
		return this.sent.size();
	}

	/** Whether this channel sent the request of the id, forgetting it if so. */
	boolean sent(Object id) {
		return this.sent.remove(String.valueOf(id)) != null;
	}

	/** Whether a tool call of this channel's is in flight. */
	boolean callsTool() {
		return this.sent.containsValue(McpSchema.METHOD_TOOLS_CALL);
	}

	/** Hands a message of the process to the session. */
	void deliver(JSONRPCMessage message) {
		this.receiver.accept(message);
	}

	/** The process ended: so does the channel. */
	void processEnded() {
		this.ended.complete(null);
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
		for (String id : List.copyOf(this.sent.keySet())) {
			cancel(id, "the gateway session ended");
		}
		this.owner.detach(this);
	}

}
