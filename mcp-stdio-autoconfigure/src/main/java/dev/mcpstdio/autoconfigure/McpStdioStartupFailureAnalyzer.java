package dev.mcpstdio.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains why a required server could not start, with its exit code and the last lines
 * of its stderr.
 */
class McpStdioStartupFailureAnalyzer extends AbstractFailureAnalyzer<McpStdioStartupException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, McpStdioStartupException cause) {
		String name = cause.getServerName();
		String property = McpStdioProperties.PREFIX + ".servers." + name;
		return new FailureAnalysis(cause.getMessage(),
				"Run the server's command by hand to see why it fails and fix " + property
						+ ".command, args or env; raise " + property + ".initialize-timeout if it starts slowly;"
						+ " or set " + property + ".required=false to start the application without it.",
				cause);
	}

}
