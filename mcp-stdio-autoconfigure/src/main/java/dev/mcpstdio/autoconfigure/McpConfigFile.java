package dev.mcpstdio.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.json.JsonReadFeature;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.core.io.ResourceLoader;
import org.springframework.util.ClassUtils;

/**
 * Reads the JSON files users already have, Claude Desktop / Cursor ({@code mcpServers}:
 * command, args, env) and VS Code ({@code servers}: type stdio, command, args, env,
 * envFile, cwd), into properties under {@code mcp.stdio.servers}. The file may hold
 * comments and trailing commas (JSONC, as VS Code reads it); its variables are resolved
 * by {@link ConfigFileVariables}.
 */
final class McpConfigFile {

	private static final Logger logger = LoggerFactory.getLogger(McpConfigFile.class);

	static final String PROPERTY = McpStdioProperties.PREFIX + ".config-file";

	private static final JsonMapper json = JsonMapper.builder()
		.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
		.enable(JsonReadFeature.ALLOW_JAVA_COMMENTS, JsonReadFeature.ALLOW_TRAILING_COMMA)
		.build();

	private McpConfigFile() {
	}

	/**
	 * Reads the file at a location into properties.
	 * @param location a resource location ({@code classpath:}, {@code file:}) or a path
	 * @param resourceLoader resolves prefixed locations
	 * @param variables resolves the variables of the file's values
	 * @return the properties, in the file's order
	 * @throws McpStdioConfigurationException if the file cannot be read or is not valid
	 */
	static Map<String, Object> read(String location, ResourceLoader resourceLoader, ConfigFileVariables variables) {
		Resource resource = resource(location, resourceLoader);
		Path file = fileOf(resource);
		if (file != null) {
			requireStrictModes(file, null, "The MCP config-file '" + location + "'",
					"the commands it names run as the application",
					"point " + PROPERTY + " at a file that only they may change.");
		}
		Map<String, Object> root;
		try (InputStream in = resource.getInputStream()) {
			root = json.readValue(in, LinkedHashMap.class);
		}
		catch (JacksonException ex) {
			String where = (ex.getLocation() != null)
					? " at line " + ex.getLocation().getLineNr() + ", column " + ex.getLocation().getColumnNr() : "";
			throw new McpStdioConfigurationException(null, PROPERTY,
					"The MCP config-file '" + location + "' is not valid" + where + ": " + ex.getOriginalMessage(),
					"Fix the JSON" + where + " of '" + location + "', or point " + PROPERTY + " at another file.", ex);
		}
		catch (IOException ex) {
			throw new McpStdioConfigurationException(null, PROPERTY,
					"The MCP config-file '" + location + "' cannot be read: " + ex.getMessage(),
					"Point " + PROPERTY + " at a readable JSON file (classpath:mcp.json, file:/path/mcp.json or a"
							+ " path), or remove it.",
					ex);
		}
		Object servers = (root != null) ? root.getOrDefault("mcpServers", root.get("servers")) : null;
		if (!(servers instanceof Map<?, ?> entries)) {
			throw new McpStdioConfigurationException(null, PROPERTY,
					"The MCP config-file '" + location + "' has neither an \"mcpServers\" nor a \"servers\" object",
					"Use the Claude Desktop form {\"mcpServers\": {\"name\": {\"command\": ...}}} or the VS Code form"
							+ " {\"servers\": {\"name\": {\"type\": \"stdio\", \"command\": ...}}}.");
		}
		Path directory = (file != null) ? file.getParent() : null;
		Map<String, Object> properties = new LinkedHashMap<>();
		// older VS Code files hold one sandbox object for every server at the top level
		Map<?, ?> topSandbox = (root.get("sandbox") instanceof Map<?, ?> sandbox) ? sandbox : Map.of();
		entries.forEach((name, value) -> {
			if (value instanceof Map<?, ?> server) {
				new Entry(location, String.valueOf(name), directory, variables).addTo(server, topSandbox, properties);
			}
		});
		return properties;
	}

	/**
	 * The file at a location, where it is one on the file system (not an entry of a jar).
	 * @param location a resource location ({@code classpath:}, {@code file:}) or a path
	 * @param resourceLoader resolves prefixed locations
	 * @return the file, or null
	 */
	static @Nullable Path file(String location, ResourceLoader resourceLoader) {
		return fileOf(resource(location, resourceLoader));
	}

	private static @Nullable Path fileOf(Resource resource) {
		try {
			return resource.isFile() ? resource.getFile().toPath().toAbsolutePath() : null;
		}
		catch (IOException ex) {
			return null;
		}
	}

	/**
	 * Fails unless only the application's user or root may change a file whose content
	 * runs as the application ({@link StrictModes}).
	 * @param file the file
	 * @param server the server it is of, if one server's
	 * @param subject names the file in the description
	 * @param why what of it runs as the application
	 * @param alternative the other fix
	 */
	private static void requireStrictModes(Path file, @Nullable String server, String subject, String why,
			String alternative) {
		List<StrictModes.Unsafe> unsafe;
		try {
			unsafe = StrictModes.ofThisProcess().check(file);
		}
		catch (NoSuchFileException ex) {
			return; // reading it says that it is missing
		}
		catch (IOException ex) {
			throw new McpStdioConfigurationException(server, PROPERTY,
					subject + " cannot be checked for who may change it: " + ex.getMessage(),
					"Let the application read " + file + " and the directories on its way, or " + alternative, ex);
		}
		if (!unsafe.isEmpty()) {
			throw new McpStdioConfigurationException(server, PROPERTY,
					subject + " may be changed by others than the application's user or root, yet " + why + ": "
							+ StrictModes.describe(unsafe),
					"Run " + StrictModes.fix(unsafe) + " (only the application's user or root may write the file"
							+ " and the directories on its way, as sshd's StrictModes requires), or " + alternative);
		}
	}

	/**
	 * What resolves a prefixed location ({@code classpath:}, {@code file:}) at startup
	 * and at every reload alike: the application's class loader, as the thread has it (a
	 * fat jar's, devtools'). A {@code BeanRegistrar}, which binds the servers at startup,
	 * is given no resource loader of the context's.
	 */
	static ResourceLoader resourceLoader() {
		return new DefaultResourceLoader(ClassUtils.getDefaultClassLoader());
	}

	private static Resource resource(String location, ResourceLoader resourceLoader) {
		return location.matches("^[a-zA-Z][a-zA-Z0-9+.-]+:.*") && !location.matches("^[a-zA-Z]:\\\\.*")
				? resourceLoader.getResource(location) : new FileSystemResource(location);
	}

	/** One server of the file. */
	private record Entry(String location, String name, @Nullable Path directory, ConfigFileVariables variables) {

		void addTo(Map<?, ?> server, Map<?, ?> topSandbox, Map<String, Object> properties) {
			Object type = server.get("type");
			if (server.get("command") == null || (type != null && !"stdio".equals(type))) {
				logger.info("Skipping MCP server '{}' of config-file '{}': not a stdio server", this.name,
						this.location);
				return;
			}
			String prefix = McpStdioProperties.PREFIX + ".servers[" + this.name + "].";
			properties.put(prefix + "command", text(server.get("command")));
			if (server.get("args") instanceof List<?> args) {
				for (int i = 0; i < args.size(); i++) {
					properties.put(prefix + "args[" + i + "]", text(args.get(i)));
				}
			}
			Map<String, String> env = new LinkedHashMap<>();
			if (server.get("envFile") != null) {
				env.putAll(readEnvFile(text(server.get("envFile"))));
			}
			if (server.get("env") instanceof Map<?, ?> vars) {
				vars.forEach((key, value) -> env.put(String.valueOf(key), text(value)));
			}
			env.forEach((key, value) -> properties.put(prefix + "env[" + key + "]", value));
			if (server.get("cwd") != null) {
				properties.put(prefix + "working-directory", text(server.get("cwd")));
			}
			if (Boolean.TRUE.equals(server.get("sandboxEnabled"))) {
				Map<?, ?> sandbox = (server.get("sandbox") instanceof Map<?, ?> own) ? own : topSandbox;
				addSandbox(sandbox, prefix + "sandbox.", properties);
			}
		}

		/**
		 * VS Code's sandbox: its keys in kebab case under {@code sandbox.} (an unknown
		 * one fails as any unknown property), after VS Code's defaults: {@code ~/.npm}
		 * writable (besides the working directory) and registry.npmjs.org reachable.
		 */
		private void addSandbox(Map<?, ?> sandbox, String prefix, Map<String, Object> properties) {
			properties.put(prefix + "enabled", "true");
			Map<String, List<String>> lists = new LinkedHashMap<>();
			lists.put("filesystem.allow-write", new ArrayList<>(List.of("~/.npm")));
			lists.put("network.allowed-domains", new ArrayList<>(List.of("registry.npmjs.org")));
			sandbox.forEach((group, settings) -> {
				String groupName = kebab(String.valueOf(group));
				if (!(settings instanceof Map<?, ?> values)) {
					properties.put(prefix + groupName, text(settings));
					return;
				}
				values.forEach((key, value) -> {
					String name = groupName + "." + kebab(String.valueOf(key));
					if (value instanceof List<?> items) {
						List<String> list = lists.computeIfAbsent(name, (k) -> new ArrayList<>());
						items.forEach((item) -> list.add(path(name, text(item))));
					}
					else {
						properties.put(prefix + name, text(value));
					}
				});
			});
			lists.forEach((name, values) -> {
				for (int i = 0; i < values.size(); i++) {
					properties.put(prefix + name + "[" + i + "]", values.get(i));
				}
			});
		}

		/** A path of the file's sandbox, as bubblewrap takes it: literally. */
		private String path(String property, String value) {
			if (property.startsWith("filesystem.") && (value.contains("*") || value.contains("?"))) {
				logger.warn(
						"MCP server '{}' of config-file '{}': sandbox {} '{}' holds a glob, which the sandbox"
								+ " takes literally (bubblewrap paths are not patterns): name the paths themselves",
						this.name, this.location, property, value);
			}
			return value;
		}

		private static String kebab(String camel) {
			return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
		}

		private Map<String, String> readEnvFile(String file) {
			Path path = (this.directory != null) ? this.directory.resolve(file) : Path.of(file);
			requireStrictModes(path, this.name,
					"MCP server '" + this.name + "' of config-file '" + this.location + "' names envFile '" + path
							+ "', which",
					"its variables reach a command that runs as the application",
					"move the envFile where only they may change it.");
			try {
				Map<String, String> env = new LinkedHashMap<>();
				for (String line : Files.readAllLines(path, StandardCharsets.UTF_8)) {
					String trimmed = line.trim();
					int eq = trimmed.indexOf('=');
					if (!trimmed.isEmpty() && !trimmed.startsWith("#") && eq > 0) {
						String value = trimmed.substring(eq + 1).trim();
						if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"")
								|| value.startsWith("'") && value.endsWith("'"))) {
							value = value.substring(1, value.length() - 1);
						}
						env.put(trimmed.substring(0, eq).trim(), value);
					}
				}
				return env;
			}
			catch (IOException ex) {
				throw new McpStdioConfigurationException(this.name, PROPERTY,
						"MCP server '" + this.name + "' of config-file '" + this.location + "' names envFile '" + path
								+ "', which cannot be read: " + ex.getMessage(),
						"Create the envFile or remove it from server '" + this.name + "'.", ex);
			}
		}

		/** A value of the file, its variables resolved. */
		private String text(@Nullable Object value) {
			return this.variables.resolve(String.valueOf(value), this.name, this.location, this.directory);
		}

	}

}
