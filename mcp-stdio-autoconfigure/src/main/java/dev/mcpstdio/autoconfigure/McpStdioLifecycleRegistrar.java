package dev.mcpstdio.autoconfigure;

import org.springframework.beans.factory.support.BeanDefinitionBuilder;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.BeanDefinitionRegistryPostProcessor;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.ResourceLoaderAware;
import org.springframework.core.env.Environment;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.core.io.ResourceLoader;

/**
 * Binds the configuration, the one time it is bound, into the
 * {@code mcpStdioServerDefinitions} bean, and registers one
 * {@link McpStdioServerLifecycle} bean per configured server, named
 * {@code mcpStdioServer.<name>}. A configuration that cannot be read registers none: the
 * {@code mcpStdioServers} bean then fails with the explanation.
 */
class McpStdioLifecycleRegistrar implements BeanDefinitionRegistryPostProcessor, EnvironmentAware, ResourceLoaderAware {

	static final String BEAN_NAME_PREFIX = "mcpStdioServer.";

	private Environment environment = new StandardEnvironment();

	private ResourceLoader resourceLoader = new DefaultResourceLoader();

	@Override
	public void setEnvironment(Environment environment) {
		this.environment = environment;
	}

	@Override
	public void setResourceLoader(ResourceLoader resourceLoader) {
		this.resourceLoader = resourceLoader;
	}

	@Override
	public void postProcessBeanDefinitionRegistry(BeanDefinitionRegistry registry) {
		McpStdioServerDefinitions definitions = McpStdioServerDefinitions.bind(this.environment, this.resourceLoader,
				System.getenv());
		registry.registerBeanDefinition(McpStdioServerDefinitions.BEAN_NAME,
				BeanDefinitionBuilder.rootBeanDefinition(McpStdioServerDefinitions.class, () -> definitions)
					.getBeanDefinition());
		for (String name : definitions.names()) {
			registry.registerBeanDefinition(BEAN_NAME_PREFIX + name,
					BeanDefinitionBuilder.rootBeanDefinition(McpStdioServerLifecycle.class)
						.addConstructorArgValue(name)
						.addConstructorArgReference("mcpStdioServers")
						.getBeanDefinition());
		}
	}

}
