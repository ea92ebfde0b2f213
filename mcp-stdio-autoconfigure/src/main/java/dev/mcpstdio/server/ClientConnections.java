package dev.mcpstdio.server;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.modelcontextprotocol.spec.McpSchema.JSONRPCMessage;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCRequest;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCResponse;
import org.jspecify.annotations.Nullable;

/**
 * The clients of a keep-alive server's process: its sync client, and its async client
 * once asked for. A response goes to the client that sent the request; a request of the
 * server's own (sampling, elicitation, roots) to the sync client, whose capabilities the
 * process was initialized with, unless one gateway channel alone has requests (or a tool
 * call) in flight; a notification to every client and channel. What the clients set on
 * the process that a new process must hear again (the logging level) is kept here.
 */
final class ClientConnections {

	private final List<SharedConnection> connections = new CopyOnWriteArrayList<>();

	private final List<SharedChannel> channels = new CopyOnWriteArrayList<>();

	/** The params of the clients' last {@code logging/setLevel}, or null. */
	private volatile @Nullable Object logLevel;

	void add(SharedConnection connection) {
		this.connections.add(connection);
	}

	void addChannel(SharedChannel channel) {
		this.channels.add(channel);
	}

	void removeChannel(SharedChannel channel) {
		this.channels.remove(channel);
	}

	/** A client set the process's logging level: each new process is told it again. */
	void loggingLevelSet(@Nullable Object params) {
		this.logLevel = params;
	}

	/**
	 * The params of the clients' last {@code logging/setLevel}, or null if none was sent.
	 */
	@Nullable Object loggingLevel() {
		return this.logLevel;
	}

	/** Tells every client that a process is ready. */
	void processReady() {
		this.connections.forEach(SharedConnection::processReady);
	}

	/** Hands a message of the process to the client it is for. */
	void deliver(JSONRPCMessage message) {
		if (message instanceof JSONRPCResponse response) {
			for (SharedConnection connection : this.connections) {
				if (connection.sent(response.id())) {
					connection.deliver(message);
					connection.answered();
					return;
				}
			}
			for (SharedChannel channel : this.channels) {
				if (channel.sent().remove(response.id())) {
					channel.deliver(message);
					return;
				}
			}
			this.connections.get(0).deliver(message);
		}
		else if (message instanceof JSONRPCRequest) {
			SharedChannel recipient = SentRequests.recipient(this.channels, SharedChannel::sent);
			if (recipient != null) {
				recipient.deliver(message);
			}
			else {
				this.connections.get(0).deliver(message);
			}
		}
		else {
			this.connections.forEach((connection) -> connection.deliver(message));
			this.channels.forEach((channel) -> channel.deliver(message));
		}
	}

}
