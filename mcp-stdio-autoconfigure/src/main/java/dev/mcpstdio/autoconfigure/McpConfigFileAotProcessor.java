package dev.mcpstdio.autoconfigure;

import org.jspecify.annotations.Nullable;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.beans.factory.aot.BeanFactoryInitializationAotContribution;
import org.springframework.beans.factory.aot.BeanFactoryInitializationAotProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.util.ResourceUtils;

/**
 * Puts a {@code classpath:} config-file in a native image: the location named by
 * {@code mcp.stdio.config-file} when the build runs becomes a resource hint. A
 * {@code file:} location or a path is read from the file system, so it needs none; a
 * {@code classpath:} location named only at run time is not in the image.
 */
final class McpConfigFileAotProcessor implements BeanFactoryInitializationAotProcessor {

	@Override
	public @Nullable BeanFactoryInitializationAotContribution processAheadOfTime(
			ConfigurableListableBeanFactory beanFactory) {
		if (!beanFactory.containsBean(ConfigurableApplicationContext.ENVIRONMENT_BEAN_NAME)) {
			return null;
		}
		Environment environment = beanFactory.getBean(ConfigurableApplicationContext.ENVIRONMENT_BEAN_NAME,
				Environment.class);
		String resource = classPathResource(
				Binder.get(environment).bind(McpConfigFile.PROPERTY, String.class).orElse(""));
		if (resource == null) {
			return null;
		}
		return (context, code) -> register(context.getRuntimeHints(), resource);
	}

	/** The resource a {@code classpath:} location names, or null for any other. */
	static @Nullable String classPathResource(String location) {
		if (!location.startsWith(ResourceUtils.CLASSPATH_URL_PREFIX)) {
			return null;
		}
		String path = location.substring(ResourceUtils.CLASSPATH_URL_PREFIX.length());
		while (path.startsWith("/")) {
			path = path.substring(1);
		}
		return path.isEmpty() ? null : path;
	}

	private static void register(RuntimeHints hints, String resource) {
		hints.resources().registerPattern(resource);
	}

}
