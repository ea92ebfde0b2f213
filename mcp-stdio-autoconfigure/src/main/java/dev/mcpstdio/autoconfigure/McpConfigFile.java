package dev.mcpstdio.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;
import org.springframework.core.io.ResourceLoader;

/**
 * Reads the JSON files users already have, Claude Desktop / Cursor ({@code mcpServers}:
 * command, args, env) and VS Code ({@code servers}: type stdio, command, args, env,
 * envFile, cwd), into properties under {@code mcp.stdio.servers}. {@code ${env:VAR}}
 * becomes {@code ${VAR}}, resolved from the Spring environment like any placeholder.
 */
final class McpConfigFile {

	private static final Logger logger = LoggerFactory.getLogger(McpConfigFile.class);

	static final String PROPERTY = McpStdioProperties.PREFIX + ".config-file";

	private static final JsonMapper json = JsonMapper.builder()
		.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
		.build();

	private McpConfigFile() {
	}

	/**
	 * Reads the file at a location into properties.
	 * @param location a resource location ({@code classpath:}, {@code file:}) or a path
	 * @param resourceLoader resolves prefixed locations
	 * @return the properties, in the file's order
	 * @throws McpStdioConfigurationException if the file cannot be read or is not valid
	 */
	static Map<String, Object> read(String location, ResourceLoader resourceLoader) {
		Resource resource = location.matches("^[a-zA-Z][a-zA-Z0-9+.-]+:.*") && !location.matches("^[a-zA-Z]:\\\\.*")
				? resourceLoader.getResource(location) : new FileSystemResource(location);
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
		Path directory = directoryOf(resource);
		Map<String, Object> properties = new LinkedHashMap<>();
		entries.forEach((name, value) -> {
			if (value instanceof Map<?, ?> server) {
				addServer(location, String.valueOf(name), server, directory, properties);
			}
		});
		return properties;
	}

	private static void addServer(String location, String name, Map<?, ?> server, @Nullable Path directory,
			Map<String, Object> properties) {
		Object type = server.get("type");
		if (server.get("command") == null || (type != null && !"stdio".equals(type))) {
			logger.info("Skipping MCP server '{}' of config-file '{}': not a stdio server", name, location);
			return;
		}
		String prefix = McpStdioProperties.PREFIX + ".servers[" + name + "].";
		properties.put(prefix + "command", text(server.get("command"), directory));
		if (server.get("args") instanceof List<?> args) {
			for (int i = 0; i < args.size(); i++) {
				properties.put(prefix + "args[" + i + "]", text(args.get(i), directory));
			}
		}
		Map<String, String> env = new LinkedHashMap<>();
		if (server.get("envFile") != null) {
			env.putAll(readEnvFile(location, name, text(server.get("envFile"), directory), directory));
		}
		if (server.get("env") instanceof Map<?, ?> vars) {
			vars.forEach((key, value) -> env.put(String.valueOf(key), text(value, directory)));
		}
		env.forEach((key, value) -> properties.put(prefix + "env[" + key + "]", value));
		if (server.get("cwd") != null) {
			properties.put(prefix + "working-directory", text(server.get("cwd"), directory));
		}
	}

	private static Map<String, String> readEnvFile(String location, String name, String file,
			@Nullable Path directory) {
		Path path = (directory != null) ? directory.resolve(file) : Path.of(file);
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
			throw new McpStdioConfigurationException(name, PROPERTY,
					"MCP server '" + name + "' of config-file '" + location + "' names envFile '" + path
							+ "', which cannot be read: " + ex.getMessage(),
					"Create the envFile or remove it from server '" + name + "'.", ex);
		}
	}

	/**
	 * A value of the file, with VS Code's {@code ${env:X}} and {@code ${workspaceFolder}}
	 * made Spring's.
	 */
	private static String text(@Nullable Object value, @Nullable Path directory) {
		String text = String.valueOf(value).replace("${env:", "${");
		if (directory != null) {
			text = text.replace("${workspaceFolder}", directory.toString());
		}
		return text;
	}

	private static @Nullable Path directoryOf(Resource resource) {
		try {
			return resource.isFile() ? resource.getFile().toPath().toAbsolutePath().getParent() : null;
		}
		catch (IOException ex) {
			return null;
		}
	}

}
