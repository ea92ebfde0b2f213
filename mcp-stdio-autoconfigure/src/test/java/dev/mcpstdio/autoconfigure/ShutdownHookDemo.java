package dev.mcpstdio.autoconfigure;

import java.util.stream.Collectors;
import java.util.stream.Stream;

import dev.mcpstdio.server.McpStdioServers;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A CLI-style application for the shutdown hook test: starts a stubborn server with the
 * context's own shutdown hook off, prints the pids of its process tree, and calls
 * {@code System.exit(0)} without closing the context.
 */
public final class ShutdownHookDemo {

	private ShutdownHookDemo() {
	}

	public static void main(String[] args) throws Exception {
		ConfigurableApplicationContext context = new SpringApplicationBuilder(
				McpStdioLifecycleTests.TestApplication.class)
			.web(WebApplicationType.NONE)
			.registerShutdownHook(false)
			.properties(FixtureProperties
				.servers(FixtureProperties.server("stubborn", "--ignore-eof", "--ignore-term", "--grandchild")))
			.properties("spring.main.banner-mode=off")
			.run(args);
		long pid = context.getBean(McpStdioServers.class).server("stubborn").pid().orElseThrow();
		ProcessHandle child = ProcessHandle.of(pid).orElseThrow();
		while (child.descendants().findAny().isEmpty()) {
			Thread.sleep(10); // a demo main, not a test: waits for the fixture's
								// grandchild
		}
		System.out.println("pids " + Stream.concat(Stream.of(child), child.descendants())
			.map((handle) -> Long.toString(handle.pid()))
			.collect(Collectors.joining(" ")));
		System.out.flush();
		System.exit(0);
	}

}
