package dev.mcpstdio.autoconfigure;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import dev.mcpstdio.server.McpStdioServers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.support.BeanRegistryAdapter;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.core.env.StandardEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The registrar on the JVM: the definitions bean and a lifecycle bean per server, the
 * failure kept for the registry, a {@code classpath:} config-file.
 */
class McpStdioLifecycleRegistrarTests {

	@TempDir
	Path directory;

	@Test
	void eachServerGetsALifecycleBeanThatDependsOnTheRegistry() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(McpStdioAutoConfiguration.class))
			.withPropertyValues("mcp.stdio.servers.beta.command=sh", "mcp.stdio.servers.beta.startup=lazy",
					"mcp.stdio.servers.alpha.command=sh", "mcp.stdio.servers.alpha.startup=lazy")
			.run((context) -> {
				assertThat(context.getBeanNamesForType(McpStdioServerLifecycle.class))
					.containsExactly("mcpStdioServer.beta", "mcpStdioServer.alpha");
				assertThat(context.getBean("mcpStdioServer.alpha")).hasToString("McpStdioServerLifecycle[alpha]");
				// recorded for the supplier's lookup: the registry is destroyed after
				// them, as with a constructor reference
				assertThat(context.getBeanFactory().getDependenciesForBean("mcpStdioServer.alpha"))
					.containsExactly("mcpStdioServers");
				assertThat(context.getBean(McpStdioServers.class).names()).containsExactly("beta", "alpha");
			});
	}

	@Test
	void configurationThatCannotBeBoundRegistersOnlyTheDefinitionsHoldingTheFailure() {
		DefaultListableBeanFactory beans = register(environment("mcp.stdio.servers.empty.keep-alive=true"));
		assertThat(beans.getBeanDefinitionNames()).containsExactly(McpStdioServerDefinitions.BEAN_NAME);
		McpStdioServerDefinitions definitions = beans.getBean(McpStdioServerDefinitions.class);
		assertThat(definitions.names()).isEmpty();
		assertThatExceptionOfType(McpStdioConfigurationException.class).isThrownBy(definitions::get)
			.withMessageContaining("has neither a command nor a Java main class or jar");
	}

	@Test
	void classpathConfigFileIsFoundThroughTheThreadsClassLoader() throws Exception {
		// as Boot's fat-jar loader or devtools' restart loader would hold it
		Path resources = Files.createDirectories(this.directory.resolve("resources"));
		ConfigFileReloadTests.write(resources.resolve("aot-mcp.json"), Map.of("fromclasspath", "v1"));
		StandardEnvironment environment = environment("mcp.stdio.config-file=classpath:aot-mcp.json");
		Thread thread = Thread.currentThread();
		ClassLoader previous = thread.getContextClassLoader();
		try (URLClassLoader loader = new URLClassLoader(new URL[] { resources.toUri().toURL() }, previous)) {
			thread.setContextClassLoader(loader);
			DefaultListableBeanFactory beans = register(environment);
			assertThat(beans.getBeanDefinitionNames()).containsExactly(McpStdioServerDefinitions.BEAN_NAME,
					"mcpStdioServer.fromclasspath");
			assertThat(beans.getBean(McpStdioServerDefinitions.class).get()).singleElement()
				.satisfies((server) -> assertThat(server.processSpec().env()).containsEntry("VERSION", "v1"));
		}
		finally {
			thread.setContextClassLoader(previous);
		}
	}

	private static DefaultListableBeanFactory register(StandardEnvironment environment) {
		DefaultListableBeanFactory beans = new DefaultListableBeanFactory();
		new McpStdioLifecycleRegistrar().register(
				new BeanRegistryAdapter(beans, beans, environment, McpStdioLifecycleRegistrar.class), environment);
		return beans;
	}

	private static StandardEnvironment environment(String... properties) {
		StandardEnvironment environment = new StandardEnvironment();
		TestPropertyValues.of(properties).applyTo(environment);
		return environment;
	}

}
