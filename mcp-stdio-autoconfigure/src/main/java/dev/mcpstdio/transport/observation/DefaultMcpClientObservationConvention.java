package dev.mcpstdio.transport.observation;

import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;
import io.modelcontextprotocol.spec.McpSchema;
import org.jspecify.annotations.Nullable;

import dev.mcpstdio.transport.observation.McpClientObservationDocumentation.HighCardinalityKeys;
import dev.mcpstdio.transport.observation.McpClientObservationDocumentation.LowCardinalityKeys;

/**
 * The default convention of the observations of MCP requests, after OpenTelemetry's
 * semantic conventions for MCP: named {@code mcp.stdio.requests} (the timer), its span
 * named {@code {mcp.method.name} {target}} ({@code tools/call get-weather}), with every
 * low-cardinality key on each observation ({@value KeyValue#NONE_VALUE} where it does not
 * apply), so that the timer's tags are the same for every request.
 */
public class DefaultMcpClientObservationConvention implements McpClientObservationConvention {

	/** The name of the observations, and of their timer. */
	public static final String NAME = "mcp.stdio.requests";

	@Override
	public String getName() {
		return NAME;
	}

	@Override
	public String getContextualName(McpClientRequestContext context) {
		String target = (context.getToolName() != null) ? context.getToolName() : context.getPromptName();
		return (target != null) ? context.getMethod() + " " + target : context.getMethod();
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(McpClientRequestContext context) {
		boolean toolCall = McpSchema.METHOD_TOOLS_CALL.equals(context.getMethod());
		return KeyValues.of(LowCardinalityKeys.METHOD_NAME.withValue(context.getMethod()),
				LowCardinalityKeys.TOOL_NAME.withValue(orNone(context.getToolName())),
				LowCardinalityKeys.PROMPT_NAME.withValue(orNone(context.getPromptName())),
				LowCardinalityKeys.OPERATION_NAME.withValue(toolCall ? "execute_tool" : KeyValue.NONE_VALUE),
				LowCardinalityKeys.ERROR_TYPE.withValue(orNone(context.getErrorType())),
				LowCardinalityKeys.PROTOCOL_VERSION.withValue(orNone(context.getProtocolVersion())),
				LowCardinalityKeys.NETWORK_TRANSPORT.withValue("pipe"),
				LowCardinalityKeys.SERVER.withValue(context.getServerName()),
				LowCardinalityKeys.OUTCOME.withValue(orNone(context.getOutcome())));
	}

	@Override
	public KeyValues getHighCardinalityKeyValues(McpClientRequestContext context) {
		KeyValues values = KeyValues.of(HighCardinalityKeys.REQUEST_ID.withValue(context.getRequestId()));
		return (context.getResourceUri() != null)
				? values.and(HighCardinalityKeys.RESOURCE_URI.withValue(context.getResourceUri())) : values;
	}

	/** The value, or {@value KeyValue#NONE_VALUE} where there is none. */
	static String orNone(@Nullable String value) {
		return (value != null) ? value : KeyValue.NONE_VALUE;
	}

}
