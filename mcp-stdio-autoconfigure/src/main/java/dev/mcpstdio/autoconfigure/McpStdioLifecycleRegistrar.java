package dev.mcpstdio.autoconfigure;

import dev.mcpstdio.server.McpStdioServers;

import org.springframework.beans.factory.BeanRegistrar;
import org.springframework.beans.factory.BeanRegistry;
import org.springframework.core.env.Environment;

/**
 * Binds the configuration, the one time it is bound, into the
 * {@code mcpStdioServerDefinitions} bean, and registers one
 * {@link McpStdioServerLifecycle} bean per configured server, named
 * {@code mcpStdioServer.<name>}. A configuration that cannot be read registers none: the
 * {@code mcpStdioServers} bean then fails with the explanation. Under AOT, its beans are
 * not written out: the generated initializer runs it again with the run-time environment,
 * so the servers follow the configuration the application runs with.
 */
class McpStdioLifecycleRegistrar implements BeanRegistrar {

	static final String BEAN_NAME_PREFIX = "mcpStdioServer.";

	private static final String SERVERS_BEAN_NAME = "mcpStdioServers";

	@Override
	public void register(BeanRegistry registry, Environment environment) {
		McpStdioServerDefinitions definitions = McpStdioServerDefinitions.bind(environment,
				McpConfigFile.resourceLoader(), System.getenv());
		registry.registerBean(McpStdioServerDefinitions.BEAN_NAME, McpStdioServerDefinitions.class,
				(spec) -> spec.supplier((context) -> definitions));
		for (String name : definitions.names()) {
			registry.registerBean(BEAN_NAME_PREFIX + name, McpStdioServerLifecycle.class,
					(spec) -> spec.supplier((context) -> new McpStdioServerLifecycle(name,
							context.bean(SERVERS_BEAN_NAME, McpStdioServers.class))));
		}
	}

}
