package dev.mcpstdio.transport.observation;

import io.micrometer.common.docs.KeyName;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;
import io.micrometer.observation.docs.ObservationDocumentation;

/**
 * The observations of MCP requests: their names and keys, after OpenTelemetry's semantic
 * conventions for MCP.
 */
public enum McpClientObservationDocumentation implements ObservationDocumentation {

	/**
	 * One MCP request the starter sent to a server, from the moment it was sent (its wait
	 * for a turn under {@code max-concurrent-requests} included) until its answer, its
	 * timeout, its cancellation or the server's exit.
	 */
	REQUEST {
		@Override
		public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
			return DefaultMcpClientObservationConvention.class;
		}

		@Override
		public KeyName[] getLowCardinalityKeyNames() {
			return LowCardinalityKeys.values();
		}

		@Override
		public KeyName[] getHighCardinalityKeyNames() {
			return HighCardinalityKeys.values();
		}
	},

	/**
	 * One request a server sent the client (sampling, elicitation, roots), from its
	 * arrival until the client's answer left, continuing the trace the server sent in its
	 * {@code _meta}.
	 */
	SERVER_REQUEST {
		@Override
		public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
			return DefaultMcpServerRequestObservationConvention.class;
		}

		@Override
		public KeyName[] getLowCardinalityKeyNames() {
			return new KeyName[] { LowCardinalityKeys.METHOD_NAME, LowCardinalityKeys.ERROR_TYPE,
					LowCardinalityKeys.NETWORK_TRANSPORT, LowCardinalityKeys.SERVER, LowCardinalityKeys.OUTCOME };
		}

		@Override
		public KeyName[] getHighCardinalityKeyNames() {
			return new KeyName[] { HighCardinalityKeys.REQUEST_ID };
		}
	};

	/** The keys of few values, on the span and the timer. */
	public enum LowCardinalityKeys implements KeyName {

		/** The request's method, such as {@code tools/call}. */
		METHOD_NAME {
			@Override
			public String asString() {
				return "mcp.method.name";
			}
		},

		/** The tool a tools/call calls. */
		TOOL_NAME {
			@Override
			public String asString() {
				return "gen_ai.tool.name";
			}
		},

		/** The prompt a prompts/get gets. */
		PROMPT_NAME {
			@Override
			public String asString() {
				return "gen_ai.prompt.name";
			}
		},

		/** {@code execute_tool} for a tools/call. */
		OPERATION_NAME {
			@Override
			public String asString() {
				return "gen_ai.operation.name";
			}
		},

		/**
		 * Why it failed: the JSON-RPC error code, {@code tool_error}, or the exception's
		 * type.
		 */
		ERROR_TYPE {
			@Override
			public String asString() {
				return "error.type";
			}
		},

		/** The protocol version the server agreed to. */
		PROTOCOL_VERSION {
			@Override
			public String asString() {
				return "mcp.protocol.version";
			}
		},

		/** {@code pipe}: stdio. */
		NETWORK_TRANSPORT {
			@Override
			public String asString() {
				return "network.transport";
			}
		},

		/** The server's configured name. */
		SERVER {
			@Override
			public String asString() {
				return "server";
			}
		},

		/** How it ended: success, error, timeout or cancelled. */
		OUTCOME {
			@Override
			public String asString() {
				return "outcome";
			}
		}

	}

	/** The keys of many values, on the span only. */
	public enum HighCardinalityKeys implements KeyName {

		/** The request's JSON-RPC id. */
		REQUEST_ID {
			@Override
			public String asString() {
				return "jsonrpc.request.id";
			}
		},

		/** The resource the request names. */
		RESOURCE_URI {
			@Override
			public String asString() {
				return "mcp.resource.uri";
			}
		}

	}

}
