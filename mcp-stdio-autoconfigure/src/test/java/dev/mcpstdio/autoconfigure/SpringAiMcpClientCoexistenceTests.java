package dev.mcpstdio.autoconfigure;

import java.util.Arrays;

import dev.mcpstdio.fixture.Fixtures;
import dev.mcpstdio.server.McpStdioServers;
import org.junit.jupiter.api.Test;

import org.springframework.ai.mcp.annotation.spring.ClientMcpSyncHandlersRegistry;
import org.springframework.ai.mcp.client.common.autoconfigure.McpClientAutoConfiguration;
import org.springframework.ai.mcp.client.common.autoconfigure.McpToolCallbackAutoConfiguration;
import org.springframework.ai.mcp.client.common.autoconfigure.StdioTransportAutoConfiguration;
import org.springframework.ai.mcp.client.common.autoconfigure.annotations.McpClientAnnotationScannerAutoConfiguration;
import org.springframework.ai.tool.ToolCallbackProvider;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With Spring AI's own MCP client starter on the class path, each server still runs once.
 */
class SpringAiMcpClientCoexistenceTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(AutoConfigurations
		.of(McpStdioAutoConfiguration.class, StdioTransportAutoConfiguration.class, McpClientAutoConfiguration.class,
				McpToolCallbackAutoConfiguration.class, McpClientAnnotationScannerAutoConfiguration.class));

	@Test
	void serversAreLaunchedOnceWithSpringAiMcpClientAutoConfiguration() {
		this.runner.withPropertyValues(FixtureProperties.servers(FixtureProperties.server("files"))).run((context) -> {
			assertThat(context).hasNotFailed();
			McpStdioServers servers = context.getBean(McpStdioServers.class);
			long pid = servers.server("files").pid().orElseThrow();
			assertThat(Fixtures.runningChildren()).extracting(ProcessHandle::pid).containsExactly(pid);
			assertThat(context).hasSingleBean(McpStdioToolCallbackProvider.class);
			long filesEcho = context.getBeansOfType(ToolCallbackProvider.class)
				.values()
				.stream()
				.flatMap((provider) -> Arrays.stream(provider.getToolCallbacks()))
				.filter((callback) -> callback.getToolDefinition().name().equals("files_echo"))
				.count();
			assertThat(filesEcho).isEqualTo(1);
			assertThat(Fixtures.runningChildren()).extracting(ProcessHandle::pid).containsExactly(pid);
			// one registry of annotated handlers, Spring AI's, serves both starters'
			// clients
			assertThat(context).hasSingleBean(ClientMcpSyncHandlersRegistry.class)
				.hasBean("clientMcpSyncHandlersRegistry");
		});
	}

}
