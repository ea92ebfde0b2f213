package dev.mcpstdio.gateway;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import dev.mcpstdio.server.McpStdioChannel;
import dev.mcpstdio.server.SentRequests;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCMessage;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCRequest;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCResponse;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One subject's own process of a {@code keep-alive: false} server
 * ({@code process-per: subject}), shared by that subject's sessions, each through a
 * {@link SubjectChannel}: an answer goes to the session that asked, a notification to
 * every session, a request of the server's to the one session with requests (or, among
 * several, the one with a tool call) in flight, else it is answered with an error that
 * says why. The process stops through the ladder when the subject's last session ends.
 */
final class SubjectProcess {

	private static final Logger logger = LoggerFactory.getLogger(SubjectProcess.class);

	private final String server;

	private final Multiplex multiplex = new Multiplex();

	private final List<SubjectChannel> channels = new CopyOnWriteArrayList<>();

	private final CompletableFuture<Void> ended = new CompletableFuture<>();

	private final Consumer<SubjectProcess> onEnd;

	private volatile @Nullable McpStdioChannel process;

	/** Sessions about to attach: the process is not stopped while one is. */
	private int pending;

	SubjectProcess(String server, Consumer<SubjectProcess> onEnd) {
		this.server = server;
		this.onEnd = onEnd;
	}

	/** Binds it to the process it shares; the process's end ends it. */
	void bind(McpStdioChannel process) {
		this.process = process;
		process.whenEnded().whenComplete((done, error) -> end());
	}

	/** The log levels and subscriptions of the sessions that share the process. */
	Multiplex multiplex() {
		return this.multiplex;
	}

	/** Holds the process for a session about to attach; false if it has ended. */
	synchronized boolean reserve() {
		if (this.ended.isDone()) {
			return false;
		}
		this.pending++;
		return true;
	}

	/** A session that reserved the process attaches: its channel. */
	synchronized SubjectChannel attach(Consumer<JSONRPCMessage> receiver) {
		this.pending--;
		McpStdioChannel bound = this.process;
		if (bound == null || this.ended.isDone()) {
			throw new IllegalStateException("MCP server '" + this.server + "': the caller's process ended");
		}
		SubjectChannel channel = new SubjectChannel(this, bound, receiver);
		this.channels.add(channel);
		return channel;
	}

	/** A session's channel closed: the last one stops the process. */
	synchronized void detach(SubjectChannel channel) {
		this.channels.remove(channel);
		endIfUnused();
	}

	private void endIfUnused() {
		if (this.channels.isEmpty() && this.pending == 0) {
			end();
		}
	}

	/** Hands a message of the process to the session it is for. */
	void deliver(JSONRPCMessage message) {
		if (message instanceof JSONRPCResponse response) {
			this.channels.stream()
				.filter((channel) -> channel.sent().remove(response.id()))
				.findFirst()
				.ifPresent((channel) -> channel.deliver(message));
		}
		else if (message instanceof JSONRPCRequest request) {
			SubjectChannel recipient = SentRequests.recipient(this.channels, SubjectChannel::sent);
			if (recipient != null) {
				recipient.deliver(message);
			}
			else {
				refuse(request);
			}
		}
		else {
			this.channels.forEach((channel) -> channel.deliver(message));
		}
	}

	private void refuse(JSONRPCRequest request) {
		McpStdioChannel bound = this.process;
		if (bound == null) {
			return;
		}
		String why = "MCP server '" + this.server + "': " + request.method() + " cannot be routed: not one of the"
				+ " caller's sessions on this process alone has a request (or a tool call) in flight, so none is known"
				+ " to be the one it is for";
		try {
			bound.send(new JSONRPCResponse(McpSchema.JSONRPC_VERSION, request.id(), null,
					new JSONRPCResponse.JSONRPCError(McpSchema.ErrorCodes.INTERNAL_ERROR, why, null)));
		}
		catch (RuntimeException ex) {
			logger.debug("{}; the refusal was not sent: {}", why, ex.getMessage());
		}
	}

	/** Ends it: every session's channel ends, and the process stops. */
	void end() {
		if (!this.ended.complete(null)) {
			return;
		}
		this.onEnd.accept(this);
		List.copyOf(this.channels).forEach(SubjectChannel::processEnded);
		McpStdioChannel bound = this.process;
		if (bound != null) {
			bound.close();
		}
	}

}
