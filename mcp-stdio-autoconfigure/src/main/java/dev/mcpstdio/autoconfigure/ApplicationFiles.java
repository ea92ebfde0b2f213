package dev.mcpstdio.autoconfigure;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;
import org.springframework.util.StringUtils;

/**
 * The application's own configuration on the file system, which a sandboxed server may
 * neither read nor write: the config-file, the locations Spring Boot loads
 * ({@code ./config/}, {@code ./application*.{properties,yml,yaml}} and what
 * {@code spring.config.location}, {@code spring.config.additional-location} and
 * {@code spring.config.import} name, config trees included). Locations on the class path
 * are left out: the class path is read-only to a sandbox already.
 */
final class ApplicationFiles {

	private static final List<String> LOCATION_PROPERTIES = List.of("spring.config.location",
			"spring.config.additional-location", "spring.config.import");

	private ApplicationFiles() {
	}

	/**
	 * The application's files, as absolute paths (a {@code *} in a last name matches
	 * files in its directory).
	 * @param environment the application's environment
	 * @param resourceLoader resolves the config-file's location
	 * @param configFile the config-file's location, if any
	 * @return the paths
	 */
	static List<String> of(Environment environment, ResourceLoader resourceLoader, @Nullable String configFile) {
		Path directory = Path.of(System.getProperty("user.dir")).toAbsolutePath();
		Set<String> files = new LinkedHashSet<>();
		if (configFile != null && !configFile.isBlank()) {
			Path file = McpConfigFile.file(configFile, resourceLoader);
			if (file != null) {
				files.add(file.toAbsolutePath().normalize().toString());
			}
		}
		files.add(directory.resolve("config").toString());
		for (String extension : List.of("properties", "yml", "yaml")) {
			files.add(directory.resolve("application*." + extension).toString());
		}
		for (String property : LOCATION_PROPERTIES) {
			for (String location : StringUtils.commaDelimitedListToStringArray(environment.getProperty(property))) {
				String path = path(location.trim());
				if (path != null) {
					files.add(directory.resolve(path).normalize().toString());
				}
			}
		}
		return new ArrayList<>(files);
	}

	/** The file system path of a location as Spring Boot writes it, if it is one. */
	static @Nullable String path(String location) {
		String path = location;
		if (path.startsWith("optional:")) {
			path = path.substring("optional:".length());
		}
		if (path.startsWith("configtree:")) {
			path = path.substring("configtree:".length());
		}
		if (path.startsWith("file:")) {
			path = path.substring("file:".length());
		}
		// classpath:, classpath*:, other resolvers' prefixes, empty entries
		if (path.isEmpty() || path.matches("^[A-Za-z][A-Za-z0-9+.*-]*:.*")) {
			return null;
		}
		// a profile-specific or extension hint in brackets is not part of the path
		int bracket = path.indexOf('[');
		return (bracket > 0) ? path.substring(0, bracket) : path;
	}

}
