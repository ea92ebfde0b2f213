package dev.mcpstdio.gateway;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCMessage;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCResponse;
import org.jspecify.annotations.Nullable;

/**
 * JSON-RPC messages read from and written as JSON text. Params and results stay JSON
 * trees ({@code _meta}, unknown fields and methods pass unchanged).
 */
final class Messages {

	private final McpJsonMapper json;

	Messages(McpJsonMapper json) {
		this.json = json;
	}

	/**
	 * The message a body holds.
	 * @throws IllegalArgumentException saying why it is not a JSON-RPC message
	 */
	JSONRPCMessage read(String body) {
		String trimmed = body.trim();
		if (trimmed.startsWith("[")) {
			throw new IllegalArgumentException("a JSON-RPC batch: send one message per request");
		}
		if (!trimmed.startsWith("{")) {
			throw new IllegalArgumentException("not a JSON object");
		}
		try {
			Map<?, ?> tree = this.json.readValue(trimmed, Map.class);
			if (!"2.0".equals(tree.get("jsonrpc"))) {
				throw new IllegalArgumentException("no \"jsonrpc\": \"2.0\"");
			}
			return McpSchema.deserializeJsonRpcMessage(this.json, trimmed);
		}
		catch (IOException | RuntimeException ex) {
			if (ex instanceof IllegalArgumentException invalid && invalid.getMessage() != null
					&& invalid.getMessage().startsWith("no ")) {
				throw invalid;
			}
			throw new IllegalArgumentException("not a JSON-RPC message", ex);
		}
	}

	String write(Object message) {
		try {
			return this.json.writeValueAsString(message);
		}
		catch (IOException ex) {
			throw new IllegalStateException("a message could not be written as JSON", ex);
		}
	}

	JSONRPCResponse result(@Nullable Object id, Object result) {
		return new JSONRPCResponse(McpSchema.JSONRPC_VERSION, id, result, null);
	}

	JSONRPCResponse error(Object id, int code, @Nullable String message) {
		return new JSONRPCResponse(McpSchema.JSONRPC_VERSION, id, null,
				new JSONRPCResponse.JSONRPCError(code, (message != null) ? message : "failed", null));
	}

	/**
	 * An error answer to an HTTP request that is no JSON-RPC request (or was refused
	 * before its id was read): its id is null, which the SDK's types do not allow.
	 */
	Map<String, Object> error(int code, String message, @Nullable Object data) {
		Map<String, Object> error = new LinkedHashMap<>();
		error.put("code", code);
		error.put("message", message);
		if (data != null) {
			error.put("data", data);
		}
		Map<String, Object> answer = new LinkedHashMap<>();
		answer.put("jsonrpc", McpSchema.JSONRPC_VERSION);
		answer.put("id", null);
		answer.put("error", error);
		return answer;
	}

}
