package dev.mcpstdio.server;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCMessage;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCRequest;
import org.jspecify.annotations.Nullable;

/**
 * The requests one channel of several on a process sent and that are not answered yet,
 * with their methods: for routing the answers, for the cancellations when the channel
 * closes, and to find which channel a request of the server's own is for.
 */
public final class SentRequests {

	private final Map<String, String> methods = new ConcurrentHashMap<>();

	/**
	 * Remembers a message if it is a request.
	 * @param message a message about to be sent
	 * @return the request's id, or null for another message
	 */
	public @Nullable String add(JSONRPCMessage message) {
		if (!(message instanceof JSONRPCRequest request)) {
			return null;
		}
		String id = String.valueOf(request.id());
		this.methods.put(id, request.method());
		return id;
	}

	/**
	 * Forgets the request of the id: answered, given up or never sent; whether it was
	 * there.
	 */
	public boolean remove(@Nullable Object id) {
		return id != null && this.methods.remove(String.valueOf(id)) != null;
	}

	/** The requests not answered yet. */
	public int size() {
		return this.methods.size();
	}

	/** The ids of the requests not answered yet. */
	public List<String> ids() {
		return List.copyOf(this.methods.keySet());
	}

	/** Whether a tool call is among them: what a server asks its client during. */
	public boolean callsTool() {
		return this.methods.containsValue(McpSchema.METHOD_TOOLS_CALL);
	}

	/**
	 * Of the channels on one process, the one a request of the server's is for: the one
	 * with requests in flight, or, among several, the one with a tool call in flight.
	 * @param channels the channels
	 * @param sent what each one sent
	 * @param <T> the channels' type
	 * @return that channel, or null where none or several qualify
	 */
	public static <T> @Nullable T recipient(List<T> channels, Function<T, SentRequests> sent) {
		List<T> waiting = channels.stream().filter((channel) -> sent.apply(channel).size() > 0).toList();
		if (waiting.size() > 1) {
			waiting = waiting.stream().filter((channel) -> sent.apply(channel).callsTool()).toList();
		}
		return (waiting.size() == 1) ? waiting.get(0) : null;
	}

}
