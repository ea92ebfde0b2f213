package dev.mcpstdio.autoconfigure;

import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * Resolves the variables of a config-file value the way VS Code does: {@code ${input:ID}}
 * from {@code mcp.stdio.inputs.ID}, {@code ${env:VAR}} and {@code ${VAR}} from the
 * environment (with a default after {@code :-}, or after {@code :} as in Spring),
 * {@code ${workspaceFolder}} (the file's directory) and {@code ${userHome}}. A variable
 * without a value fails, naming the server, the variable and where to set it.
 */
final class ConfigFileVariables {

	static final String INPUTS = McpStdioProperties.PREFIX + ".inputs";

	private static final Pattern VARIABLE = Pattern.compile("\\$\\{([^}]*)}");

	private final Environment environment;

	private final Map<String, String> inputs;

	ConfigFileVariables(Environment environment) {
		this.environment = environment;
		this.inputs = Binder.get(environment)
			.bind(INPUTS, Bindable.mapOf(String.class, String.class))
			.orElseGet(Map::of);
	}

	/**
	 * Resolves every variable of a value.
	 * @param value the value as written in the file
	 * @param server the server whose value it is
	 * @param location the config-file
	 * @param directory the file's directory, if it is a file
	 * @return the value with each variable replaced
	 * @throws McpStdioConfigurationException if a variable has no value
	 */
	String resolve(String value, String server, String location, @Nullable Path directory) {
		Matcher matcher = VARIABLE.matcher(value);
		StringBuilder result = new StringBuilder();
		while (matcher.find()) {
			String replacement = variable(matcher.group(1), server, location, directory);
			matcher.appendReplacement(result, Matcher.quoteReplacement(replacement));
		}
		matcher.appendTail(result);
		return result.toString();
	}

	private String variable(String expression, String server, String location, @Nullable Path directory) {
		if (expression.startsWith("input:")) {
			String id = expression.substring("input:".length());
			String input = this.inputs.get(id);
			if (input == null) {
				throw new McpStdioConfigurationException(server, INPUTS + "." + id,
						"MCP server '" + server + "' of config-file '" + location + "' uses ${input:" + id + "}, but "
								+ INPUTS + "." + id + " is not set",
						"Set " + INPUTS + "." + id + " (for example to ${SOME_ENV_VARIABLE} in application.yml).");
			}
			return input;
		}
		if (expression.equals("workspaceFolder")) {
			if (directory == null) {
				throw new McpStdioConfigurationException(server, McpConfigFile.PROPERTY,
						"MCP server '" + server + "' of config-file '" + location
								+ "' uses ${workspaceFolder}, but the config-file is not in a directory",
						"Point " + McpConfigFile.PROPERTY + " at a file on the file system, or replace"
								+ " ${workspaceFolder} with a path.");
			}
			return directory.toString();
		}
		if (expression.equals("userHome")) {
			return System.getProperty("user.home");
		}
		String variable = expression.startsWith("env:") ? expression.substring("env:".length()) : expression;
		String fallback = null;
		boolean emptyIsUnset = false;
		int shellDefault = variable.indexOf(":-");
		int springDefault = variable.indexOf(':');
		if (shellDefault >= 0) {
			fallback = variable.substring(shellDefault + 2);
			variable = variable.substring(0, shellDefault);
			emptyIsUnset = true;
		}
		else if (springDefault >= 0) {
			fallback = variable.substring(springDefault + 1);
			variable = variable.substring(0, springDefault);
		}
		String resolved = this.environment.getProperty(variable);
		if (resolved == null || (emptyIsUnset && resolved.isEmpty())) {
			if (fallback != null) {
				return fallback;
			}
			throw new McpStdioConfigurationException(server, McpConfigFile.PROPERTY,
					"MCP server '" + server + "' of config-file '" + location + "' uses ${" + expression
							+ "}, but the environment variable " + variable + " is not set",
					"Set " + variable + " in the application's environment, or give a default: ${" + variable
							+ ":-default}.");
		}
		return resolved;
	}

}
