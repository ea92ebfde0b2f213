package dev.mcpstdio.autoconfigure;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.mcpstdio.process.ProcessSpec;
import dev.mcpstdio.process.sandbox.SandboxSettings;
import dev.mcpstdio.server.ServerDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sandboxed servers whose writable paths nest: one may write the directory that holds
 * another's working directory or allow-write path, so while the other starts it could
 * swap that path for a link to a place of its choosing. A WARN names each pair, at
 * startup and at every reload.
 */
final class NestedWritablePaths {

	private static final Logger logger = LoggerFactory.getLogger(NestedWritablePaths.class);

	private NestedWritablePaths() {
	}

	/**
	 * The nested pairs of the given servers.
	 * @param definitions the servers
	 * @return one line per pair: {@code 'a' may write /x, which holds 'b''s /x/y}
	 */
	static List<String> of(List<ServerDefinition> definitions) {
		List<String> pairs = new ArrayList<>();
		for (ServerDefinition outer : definitions) {
			for (ServerDefinition inner : definitions) {
				if (outer == inner) {
					continue;
				}
				for (Path holder : writable(outer.processSpec())) {
					for (Path held : writable(inner.processSpec())) {
						if (held.startsWith(holder) && !held.equals(holder)) {
							pairs.add("'" + outer.name() + "' may write " + holder + ", which holds '" + inner.name()
									+ "''s " + held);
						}
					}
				}
			}
		}
		return pairs;
	}

	/** Logs a WARN for each nested pair. */
	static void warn(List<ServerDefinition> definitions) {
		for (String pair : of(definitions)) {
			logger.warn("Sandboxed MCP servers share writable paths: {}; the first could swap the second's path for"
					+ " a link while it starts. Give each server paths of its own (sandbox.filesystem.allow-write,"
					+ " working-directory).", pair);
		}
	}

	/**
	 * The paths a sandboxed server may write, as the sandbox resolves them; none
	 * unsandboxed.
	 */
	private static List<Path> writable(ProcessSpec spec) {
		SandboxSettings sandbox = spec.confinement().sandbox();
		List<Path> paths = new ArrayList<>();
		if (!sandbox.enabled()) {
			return paths;
		}
		Path base = (spec.workingDirectory() != null) ? spec.workingDirectory().toAbsolutePath()
				: Path.of(System.getProperty("user.dir")).toAbsolutePath();
		if (spec.workingDirectory() != null) {
			paths.add(base.normalize());
		}
		paths.addAll(sandbox.allowWritePaths(base));
		return paths;
	}

}
