package dev.mcpstdio.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a wrong managed-server configuration: what is wrong, for which server and
 * property, and how to fix it.
 */
class McpStdioConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<McpStdioConfigurationException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, McpStdioConfigurationException cause) {
		return new FailureAnalysis(cause.getMessage(), cause.getAction(), cause);
	}

}
