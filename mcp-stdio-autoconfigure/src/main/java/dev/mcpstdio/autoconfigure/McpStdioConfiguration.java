package dev.mcpstdio.autoconfigure;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.stream.IntStream;

import dev.mcpstdio.process.InheritEnv;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.bind.AbstractBindHandler;
import org.springframework.boot.context.properties.bind.BindContext;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.PropertySourcesPlaceholdersResolver;
import org.springframework.boot.context.properties.bind.UnboundConfigurationPropertiesException;
import org.springframework.boot.context.properties.bind.handler.NoUnboundElementsBindHandler;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.core.convert.ConversionService;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.io.ResourceLoader;

/**
 * Binds the effective configuration: {@code mcp.stdio.*} from the environment over the
 * servers of {@code mcp.stdio.config-file}, so application.yml overrides or extends the
 * file's entries property by property. Every server starts from
 * {@code mcp.stdio.defaults}. Binding is strict: a key under {@code mcp.stdio} that no
 * property takes fails, naming the nearest known one.
 */
final class McpStdioConfiguration {

	private static final ConfigurationPropertyName ROOT = ConfigurationPropertyName.of(McpStdioProperties.PREFIX);

	/** Boot's conversions, and inherit-env's true and false as all and none. */
	private static final ConversionService CONVERSION = conversionService();

	private McpStdioConfiguration() {
	}

	private static ConversionService conversionService() {
		ApplicationConversionService conversions = new ApplicationConversionService();
		conversions.addConverter(String.class, InheritEnv.class, InheritEnv::of);
		// YAML reads a bare true or false as a boolean
		conversions.addConverter(Boolean.class, InheritEnv.class, (all) -> all ? InheritEnv.ALL : InheritEnv.NONE);
		return conversions;
	}

	static McpStdioProperties bind(Environment environment, ResourceLoader resourceLoader) {
		Binder environmentBinder = Binder.get(environment);
		List<ConfigurationPropertySource> sources = new ArrayList<>();
		ConfigurationPropertySources.get(environment).forEach(sources::add);
		String location = environmentBinder.bind(McpConfigFile.PROPERTY, String.class).orElse("");
		if (!location.isBlank()) {
			sources.add(new MapConfigurationPropertySource(
					McpConfigFile.read(location.trim(), resourceLoader, new ConfigFileVariables(environment))));
		}
		PropertySourcesPlaceholdersResolver placeholders = (environment instanceof ConfigurableEnvironment configurable)
				? new PropertySourcesPlaceholdersResolver(configurable) : null;
		Binder binder = new Binder(sources, placeholders, CONVERSION);
		McpStdioProperties.ServerSettings defaults = binder
			.bind(ROOT.append("defaults"), Bindable.ofInstance(new McpStdioProperties.ServerSettings()))
			.orElseGet(McpStdioProperties.ServerSettings::new);
		BindHandler handler = new NoUnboundElementsBindHandler(new ServersFromDefaults(defaults),
				McpStdioConfiguration::isChecked);
		try {
			return binder.bindOrCreate(ROOT, Bindable.of(McpStdioProperties.class), handler);
		}
		catch (BindException ex) {
			if (ex.getCause() instanceof UnboundConfigurationPropertiesException unbound) {
				throw unknown(unbound);
			}
			throw ex;
		}
	}

	/**
	 * Every source but the system environment, where variables that map to
	 * {@code mcp.stdio.*} may be meant for someone else.
	 */
	private static boolean isChecked(ConfigurationPropertySource source) {
		return !(source.getUnderlyingSource() instanceof SystemEnvironmentPropertySource);
	}

	private static McpStdioConfigurationException unknown(UnboundConfigurationPropertiesException unbound) {
		List<ConfigurationProperty> properties = unbound.getUnboundProperties()
			.stream()
			.sorted(Comparator.comparing((property) -> property.getName().toString()))
			.toList();
		ConfigurationProperty first = properties.get(0);
		List<String> elements = elements(first.getName());
		String server = (elements.size() > 2 && elements.get(0).equals("servers")) ? elements.get(1) : null;
		String name = McpStdioProperties.PREFIX + "." + String.join(".", elements);
		String origin = (first.getOrigin() != null) ? " (" + first.getOrigin() + ")" : "";
		String description = ((server != null) ? "MCP server '" + server + "' has an unknown property " + name
				: "Unknown property " + name) + origin;
		if (properties.size() > 1) {
			description += "; also unknown: "
					+ String.join(", ", properties.stream().skip(1).map((p) -> p.getName().toString()).toList());
		}
		String action = KnownProperties.nearest(elements)
			.map((nearest) -> "Did you mean " + McpStdioProperties.PREFIX + "." + nearest + "? Fix the key or remove"
					+ " it.")
			.orElse("Remove the key, or fix it to one of the properties listed in the README's configuration"
					+ " reference (an IDE completes them under " + McpStdioProperties.PREFIX + ".defaults).");
		return new McpStdioConfigurationException(server, name, description, action);
	}

	/** The elements of a name below {@code mcp.stdio}, map keys as written. */
	private static List<String> elements(ConfigurationPropertyName name) {
		int skip = ROOT.getNumberOfElements();
		return IntStream.range(skip, name.getNumberOfElements())
			.mapToObj((i) -> name.getElement(i, ConfigurationPropertyName.Form.ORIGINAL))
			.toList();
	}

	/** Binds each server over a copy of {@code mcp.stdio.defaults}. */
	private static final class ServersFromDefaults extends AbstractBindHandler {

		private final McpStdioProperties.ServerSettings defaults;

		ServersFromDefaults(McpStdioProperties.ServerSettings defaults) {
			this.defaults = defaults;
		}

		@Override
		public <T> @Nullable Bindable<T> onStart(ConfigurationPropertyName name, Bindable<T> target,
				BindContext context) {
			Bindable<T> bindable = super.onStart(name, target, context);
			if (bindable != null && Objects.equals(bindable.getType().resolve(), McpStdioProperties.Server.class)
					&& bindable.getValue() == null) {
				McpStdioProperties.Server server = new McpStdioProperties.Server();
				server.copyFrom(this.defaults);
				@SuppressWarnings("unchecked")
				T value = (T) server;
				return bindable.withExistingValue(value);
			}
			return bindable;
		}

	}

}
