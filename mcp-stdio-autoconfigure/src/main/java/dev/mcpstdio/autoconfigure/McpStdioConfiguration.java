package dev.mcpstdio.autoconfigure;

import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.PropertySourcesPlaceholdersResolver;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;

/**
 * Binds the effective configuration: {@code mcp.stdio.*} from the environment over the
 * servers of {@code mcp.stdio.config-file}, so application.yml overrides or extends the
 * file's entries property by property.
 */
final class McpStdioConfiguration {

	private McpStdioConfiguration() {
	}

	static McpStdioProperties bind(Environment environment, ResourceLoader resourceLoader) {
		Binder environmentBinder = Binder.get(environment);
		List<ConfigurationPropertySource> sources = new ArrayList<>();
		ConfigurationPropertySources.get(environment).forEach(sources::add);
		String location = environmentBinder.bind(McpConfigFile.PROPERTY, String.class).orElse("");
		if (!location.isBlank()) {
			sources.add(new MapConfigurationPropertySource(McpConfigFile.read(location.trim(), resourceLoader)));
		}
		PropertySourcesPlaceholdersResolver placeholders = (environment instanceof ConfigurableEnvironment configurable)
				? new PropertySourcesPlaceholdersResolver(configurable) : null;
		Binder binder = new Binder(sources, placeholders, ApplicationConversionService.getSharedInstance());
		return binder.bindOrCreate(McpStdioProperties.PREFIX, McpStdioProperties.class);
	}

}
