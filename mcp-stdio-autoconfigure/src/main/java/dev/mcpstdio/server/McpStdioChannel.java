package dev.mcpstdio.server;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.modelcontextprotocol.spec.McpSchema.JSONRPCMessage;

/**
 * A server's process as a channel of JSON-RPC messages, for a gateway that relays a
 * remote client's messages as they are: what the process sends reaches the receiver the
 * channel was opened with. The process was initialized by the starter; the server's
 * governance (allowed tools, timeouts, {@code max-concurrent-requests}) applies to what
 * is sent.
 */
public interface McpStdioChannel extends AutoCloseable {

	/** The name of the server. */
	String serverName();

	/**
	 * Whether the process is shared with the server's other channels and clients
	 * ({@code keep-alive: true}); if not, the channel owns it.
	 */
	boolean shared();

	/** The process's answer to {@code initialize}, as a JSON object. */
	Map<String, Object> initializeResult();

	/** The pid of the process. */
	long pid();

	/**
	 * Sends a message to the process. A request is answered through the receiver, with an
	 * error response if it times out or the process ends.
	 * @param message the message; a request's id must be unique among the process's
	 * requests in flight
	 * @throws RuntimeException naming the server when the message cannot be sent (a tool
	 * that is not allowed, no turn within the timeout, the process gone)
	 */
	void send(JSONRPCMessage message);

	/**
	 * Gives up on a request in flight, telling the process with
	 * {@code notifications/cancelled}; its late answer is dropped.
	 * @param id the request's id, as sent
	 * @param reason why, for the server
	 * @return whether it was in flight
	 */
	boolean cancel(Object id, String reason);

	/** The requests sent through this channel and not answered yet. */
	int inFlight();

	/**
	 * Completes when the channel can carry no more messages: closed, or its process ended
	 * (exit, restart, stop).
	 */
	CompletableFuture<Void> whenEnded();

	/**
	 * Closes the channel: a process of its own is stopped through the ladder in the
	 * background; a shared one keeps running.
	 */
	@Override
	void close();

}
