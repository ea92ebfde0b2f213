package dev.mcpstdio.autoconfigure;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import dev.mcpstdio.server.ServerDefinition;
import org.jspecify.annotations.Nullable;

import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;

/**
 * The configured servers, bound once from {@code mcp.stdio.*} and the config-file when
 * bean definitions are registered, or why they could not be: the failure is thrown when
 * the registry is created, so that the failure analyzers explain it.
 */
final class McpStdioServerDefinitions implements Supplier<List<ServerDefinition>> {

	static final String BEAN_NAME = "mcpStdioServerDefinitions";

	private final List<ServerDefinition> definitions;

	private final @Nullable RuntimeException failure;

	private McpStdioServerDefinitions(List<ServerDefinition> definitions, @Nullable RuntimeException failure) {
		this.definitions = definitions;
		this.failure = failure;
	}

	/** Binds and checks the configuration, keeping a failure for later. */
	static McpStdioServerDefinitions bind(Environment environment, ResourceLoader resourceLoader,
			Map<String, String> systemEnvironment) {
		try {
			McpStdioProperties properties = McpStdioConfiguration.bind(environment, resourceLoader);
			List<String> files = ApplicationFiles.of(environment, resourceLoader, properties.getConfigFile());
			return new McpStdioServerDefinitions(new ServerDefinitions(systemEnvironment, files).create(properties),
					null);
		}
		catch (RuntimeException ex) {
			return new McpStdioServerDefinitions(List.of(), ex);
		}
	}

	/** The servers' names, in declaration order; none when the configuration failed. */
	List<String> names() {
		return this.definitions.stream().map(ServerDefinition::name).toList();
	}

	/**
	 * The definitions.
	 * @throws RuntimeException why the configuration could not be read
	 */
	@Override
	public List<ServerDefinition> get() {
		if (this.failure != null) {
			throw this.failure;
		}
		return this.definitions;
	}

}
