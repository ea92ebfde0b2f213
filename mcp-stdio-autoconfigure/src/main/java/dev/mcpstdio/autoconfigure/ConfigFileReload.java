package dev.mcpstdio.autoconfigure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;

/**
 * {@code config-file-reload}: watches the config-file while the context runs and, once it
 * has been quiet for {@code config-file-quiet-period} after a change of its content (or
 * of its mode or owner), has the servers reloaded. Starts after the servers are up, and
 * stops before them. Always a bean, so that the property is read where the application
 * runs (a condition would be fixed when AOT processing ran): off, it watches nothing.
 */
final class ConfigFileReload implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(ConfigFileReload.class);

	static final String PROPERTY = McpStdioProperties.PREFIX + ".config-file-reload";

	private static final String QUIET_PERIOD = McpStdioProperties.PREFIX + ".config-file-quiet-period";

	private final String location;

	/** The file to watch; null where the reload is off. */
	private final @Nullable Path file;

	private final McpStdioReloader reloader;

	private final QuietPeriod quietPeriod;

	/**
	 * The content last reloaded (or bound at startup); null where it could not be read.
	 */
	private byte @Nullable [] content;

	/**
	 * The file's mode and owner as last reloaded: a chmod or chown is a change too, which
	 * {@link StrictModes} may refuse, or which lets an edit it refused apply.
	 */
	private @Nullable String modes;

	private @Nullable ConfigFileWatcher watcher;

	/**
	 * Creates the reload, remembering the file's content as the servers were bound from.
	 * @param location the config-file as configured
	 * @param file the file it is; null for a reload that is off
	 * @param quietPeriod how long the file must be quiet
	 * @param reloader reloads the servers
	 * @param clock the time of the quiet period
	 */
	ConfigFileReload(String location, @Nullable Path file, Duration quietPeriod, McpStdioReloader reloader,
			Clock clock) {
		this.location = location;
		this.file = file;
		this.reloader = reloader;
		this.quietPeriod = new QuietPeriod(quietPeriod, clock, reloader::schedule, this::reloadIfChanged);
		this.content = (file != null) ? read(file) : null;
		this.modes = (file != null) ? modes(file) : null;
	}

	/**
	 * The reload of the configured config-file, or one that watches nothing where
	 * {@code config-file-reload} is false.
	 * @param environment holds {@code config-file-reload}, {@code mcp.stdio.config-file}
	 * and the quiet period
	 * @param resourceLoader resolves the file's location
	 * @param reloader reloads the servers
	 * @param clock the time of the quiet period
	 * @return the reload, started with the context
	 * @throws McpStdioConfigurationException if no config-file is set, or it is not a
	 * file that can be watched, or the quiet period is negative
	 */
	static ConfigFileReload of(Environment environment, ResourceLoader resourceLoader, McpStdioReloader reloader,
			Clock clock) {
		Binder binder = Binder.get(environment);
		if (!binder.bind(PROPERTY, Boolean.class).orElse(new McpStdioProperties().isConfigFileReload())) {
			return new ConfigFileReload("", null, Duration.ZERO, reloader, clock);
		}
		String location = binder.bind(McpConfigFile.PROPERTY, String.class).orElse("").trim();
		if (location.isEmpty()) {
			throw new McpStdioConfigurationException(null, PROPERTY,
					PROPERTY + " is true, but no " + McpConfigFile.PROPERTY + " is set, so there is nothing to watch",
					"Set " + McpConfigFile.PROPERTY + " to the file whose servers to reload, or remove " + PROPERTY
							+ ".");
		}
		Path file = McpConfigFile.file(location, resourceLoader);
		if (file == null) {
			throw new McpStdioConfigurationException(null, PROPERTY,
					PROPERTY + " is true, but the config-file '" + location
							+ "' is not a file on the file system (a resource inside a jar cannot be watched)",
					"Point " + McpConfigFile.PROPERTY + " at a file (file:/etc/mcp/mcp.json, or a path), or set "
							+ PROPERTY + " to false.");
		}
		Duration quietPeriod = binder.bind(QUIET_PERIOD, Duration.class)
			.orElse(new McpStdioProperties().getConfigFileQuietPeriod());
		if (quietPeriod.isNegative()) {
			throw new McpStdioConfigurationException(null, QUIET_PERIOD,
					QUIET_PERIOD + " is " + quietPeriod + ", but must be 0 or a positive duration",
					"Set " + QUIET_PERIOD + " to how long the file must be quiet before a change applies, such as"
							+ " 1s.");
		}
		return new ConfigFileReload(location, file, quietPeriod, reloader, clock);
	}

	@Override
	public synchronized void start() {
		Path watched = this.file;
		if (watched == null) {
			return; // off
		}
		try {
			this.watcher = new ConfigFileWatcher(watched, this.quietPeriod::changed);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot watch the MCP config-file " + watched, ex);
		}
		logger.debug("Watching the MCP config-file {} for changes", watched);
		this.quietPeriod.changed(); // an edit since the servers were bound
	}

	/** Runs on the reloader's thread once the file is quiet. */
	private void reloadIfChanged() {
		Path watched = this.file;
		if (watched == null) {
			return;
		}
		byte[] now = read(watched);
		String modesNow = modes(watched);
		if (Arrays.equals(now, this.content) && Objects.equals(modesNow, this.modes)) {
			logger.debug("MCP config-file {}: no change of its content, mode or owner", watched);
			return;
		}
		this.content = now;
		this.modes = modesNow;
		if (now == null) {
			logger.warn("MCP servers not reloaded: the config-file '{}' ({}) cannot be read now; the running servers"
					+ " stay as they are until it can", this.location, watched);
			return;
		}
		this.reloader.reload("the config-file '" + this.location + "'");
	}

	private static byte @Nullable [] read(Path file) {
		try {
			return Files.readAllBytes(file);
		}
		catch (IOException ex) {
			return null;
		}
	}

	private static @Nullable String modes(Path file) {
		try {
			Path real = file.toRealPath();
			return Files.getAttribute(real, "unix:mode") + " " + Files.getAttribute(real, "unix:uid");
		}
		catch (IOException | UnsupportedOperationException | IllegalArgumentException ex) {
			return null;
		}
	}

	@Override
	public synchronized void stop() {
		ConfigFileWatcher watching = this.watcher;
		if (watching != null) {
			watching.close();
			this.watcher = null;
		}
	}

	@Override
	public synchronized boolean isRunning() {
		return this.watcher != null;
	}

	/** Starts after the startup barrier, stops before it. */
	@Override
	public int getPhase() {
		return McpStdioServerLifecycle.PHASE + 2;
	}

}
