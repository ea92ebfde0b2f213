package dev.mcpstdio.autoconfigure;

import java.util.ArrayList;
import java.util.List;

import dev.mcpstdio.fixture.FixtureServer;
import dev.mcpstdio.fixture.Fixtures;

/**
 * Properties that configure fixture servers, for application contexts in tests.
 */
final class FixtureProperties {

	private FixtureProperties() {
	}

	/** A fixture server with fast stop timeouts and the given flags. */
	static List<String> server(String name, String... flags) {
		String prefix = "mcp.stdio.servers." + name + ".";
		List<String> properties = new ArrayList<>();
		properties.add(prefix + "java.main-class=" + FixtureServer.class.getName());
		properties.add(prefix + "java.jvm-args=" + String.join(",", Fixtures.JVM_ARGS));
		for (int i = 0; i < flags.length; i++) {
			properties.add(prefix + "args[" + i + "]=" + flags[i]);
		}
		properties.add(prefix + "shutdown.drain-timeout=1s");
		properties.add(prefix + "shutdown.eof-timeout=500ms");
		properties.add(prefix + "shutdown.term-timeout=500ms");
		return properties;
	}

	static String[] servers(List<String>... servers) {
		List<String> all = new ArrayList<>();
		for (List<String> server : servers) {
			all.addAll(server);
		}
		return all.toArray(new String[0]);
	}

}
