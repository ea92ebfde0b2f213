package dev.mcpstdio.gateway;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import dev.mcpstdio.server.McpStdioChannel;
import dev.mcpstdio.server.SentRequests;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCMessage;

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

	private final SentRequests sent = new SentRequests();

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
		String id = this.sent.add(message);
		try {
			this.process.send(message);
		}
		catch (RuntimeException ex) {
			this.sent.remove(id);
			throw ex;
		}
	}

	@Override
	public boolean cancel(Object id, String reason) {
		return this.sent.remove(id) && this.process.cancel(id, reason);
	}

	@Override
	public int inFlight() {
		return this.sent.size();
	}

	/** The requests this channel sent and that are not answered yet. */
	SentRequests sent() {
		return this.sent;
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
		for (String id : this.sent.ids()) {
			cancel(id, "the gateway session ended");
		}
		this.owner.detach(this);
	}

}
