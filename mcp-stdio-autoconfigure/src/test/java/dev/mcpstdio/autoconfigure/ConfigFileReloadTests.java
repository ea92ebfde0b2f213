package dev.mcpstdio.autoconfigure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.mcpstdio.actuate.McpStdioHealthContributor;
import dev.mcpstdio.fixture.FixtureServer;
import dev.mcpstdio.fixture.Fixtures;
import dev.mcpstdio.process.platform.ProcessTree;
import dev.mcpstdio.server.McpStdioServer;
import dev.mcpstdio.server.McpStdioServers;
import dev.mcpstdio.server.ServerState;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code config-file-reload} on a real file and real fixture processes: edits that add,
 * remove and change servers, a ConfigMap's symlink swap, and edits that cannot apply.
 */
@ExtendWith(OutputCaptureExtension.class)
class ConfigFileReloadTests {

	@TempDir
	Path directory;

	private ApplicationContextRunner runner(Path file) {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class, McpStdioAutoConfiguration.class,
					McpStdioMetricsAutoConfiguration.class))
			.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.withUserConfiguration(Events.class)
			.withPropertyValues("mcp.stdio.config-file=" + file, "mcp.stdio.config-file-reload=true",
					"mcp.stdio.config-file-quiet-period=200ms", "mcp.stdio.defaults.shutdown.drain-timeout=1s",
					"mcp.stdio.defaults.shutdown.eof-timeout=500ms", "mcp.stdio.defaults.shutdown.term-timeout=500ms");
	}

	@Test
	void editsAddRemoveAndChangeServersAndLeaveTheOthersRunning(CapturedOutput output) throws Exception {
		Path file = this.directory.resolve("mcp.json");
		write(file, ordered("kept", "v1", "changed", "v1", "removed", "v1"));
		long[] added = new long[1];
		runner(file).run((context) -> {
			McpStdioServers servers = context.getBean(McpStdioServers.class);
			long kept = pid(servers, "kept");
			long changed = pid(servers, "changed");
			long removed = pid(servers, "removed");
			write(file, ordered("kept", "v1", "changed", "v2", "added", "v1"));
			await().atMost(Duration.ofSeconds(60))
				.until(() -> output.getOut().contains("MCP servers reloaded after a change of the config-file"));
			assertThat(output.getOut()).contains("added [added], removed [removed], changed [changed], 1 unchanged");
			assertThat(servers.names()).containsExactly("kept", "changed", "added");
			assertThat(pid(servers, "kept")).isEqualTo(kept);
			assertThat(pid(servers, "changed")).isNotEqualTo(changed);
			assertThat(servers.server("changed").definition().processSpec().env()).containsEntry("VERSION", "v2");
			assertThat(ProcessHandle.of(changed).filter(ProcessTree::isRunning)).isEmpty();
			assertThat(ProcessHandle.of(removed).filter(ProcessTree::isRunning)).isEmpty();
			added[0] = pid(servers, "added");
			assertThat(context.getBean(Events.class).changes)
				.containsExactly("added [added], removed [removed], restarted [changed]");
			// health and meters follow: the changed server's are its new process's
			McpStdioHealthContributor health = new McpStdioHealthContributor(servers);
			assertThat(health.getContributor("removed")).isNull();
			assertThat(((HealthIndicator) health.getContributor("changed")).health().getStatus()).isEqualTo(Status.UP);
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			assertThat(meters.find("mcp.stdio.process.memory").tag("server", "removed").gauge()).isNull();
			assertThat(meters.find("mcp.stdio.process.memory").tag("server", "changed").gauge()).isNotNull();
			assertThat(meters.find("mcp.stdio.process.memory").tag("server", "added").gauge()).isNotNull();
		});
		// a server the reload added stops with the context
		assertThat(ProcessHandle.of(added[0]).filter(ProcessTree::isRunning)).isEmpty();
	}

	@Test
	void kubernetesConfigMapSwapIsReloaded(CapturedOutput output) throws Exception {
		// mcp.json -> ..data/mcp.json, ..data -> ..v1: a new version is a new directory,
		// and ..data is swapped to it by a rename, as the kubelet does
		Path first = this.directory.resolve("..v1");
		Files.createDirectories(first);
		write(first.resolve("mcp.json"), ordered("server", "v1"));
		Files.createSymbolicLink(this.directory.resolve("..data"), Path.of("..v1"));
		Path file = this.directory.resolve("mcp.json");
		Files.createSymbolicLink(file, Path.of("..data/mcp.json"));
		runner(file).run((context) -> {
			McpStdioServers servers = context.getBean(McpStdioServers.class);
			long before = pid(servers, "server");
			Path second = this.directory.resolve("..v2");
			Files.createDirectories(second);
			write(second.resolve("mcp.json"), ordered("server", "v2"));
			Path swap = this.directory.resolve("..data_tmp");
			Files.createSymbolicLink(swap, Path.of("..v2"));
			Files.move(swap, this.directory.resolve("..data"), StandardCopyOption.ATOMIC_MOVE,
					StandardCopyOption.REPLACE_EXISTING, LinkOption.NOFOLLOW_LINKS);
			Files.delete(first.resolve("mcp.json"));
			Files.delete(first);
			await().atMost(Duration.ofSeconds(60))
				.until(() -> output.getOut().contains("MCP servers reloaded after a change of the config-file"));
			assertThat(output.getOut()).contains("changed [server], 0 unchanged");
			assertThat(pid(servers, "server")).isNotEqualTo(before);
			assertThat(servers.server("server").definition().processSpec().env()).containsEntry("VERSION", "v2");
		});
	}

	@Test
	void brokenEditOrInvalidServerChangesNothingAndSaysWhy(CapturedOutput output) throws Exception {
		Path file = this.directory.resolve("mcp.json");
		write(file, ordered("server", "v1"));
		runner(file).run((context) -> {
			McpStdioServers servers = context.getBean(McpStdioServers.class);
			long before = pid(servers, "server");
			Files.writeString(file, "{\"mcpServers\": {\"server\": {\"command\": \"java\",,}}}");
			await().atMost(Duration.ofSeconds(60)).until(() -> output.getOut().contains("MCP servers not reloaded"));
			assertThat(output.getOut()).contains("WARN")
				.contains("The MCP config-file '" + file + "' is not valid at line 1, column")
				.contains("The running servers stay as they are.");
			Files.writeString(file, "{\"mcpServers\": {\"server\": {\"command\": \"/no/such/mcp-server\"}}}");
			await().atMost(Duration.ofSeconds(60))
				.until(() -> output.getOut().contains("command '/no/such/mcp-server' was not found"));
			assertThat(servers.names()).containsExactly("server");
			assertThat(pid(servers, "server")).isEqualTo(before);
			assertThat(context.getBean(Events.class).changes).isEmpty();
			write(file, ordered("server", "v2"));
			await().atMost(Duration.ofSeconds(60))
				.until(() -> output.getOut().contains("MCP servers reloaded after a change of the config-file"));
			assertThat(pid(servers, "server")).isNotEqualTo(before);
		});
	}

	@Test
	void reloadOfAnEditMadeGroupWritableIsRefusedNamingTheChmodUntilTheChmodIsRun(CapturedOutput output)
			throws Exception {
		Path file = this.directory.resolve("mcp.json");
		write(file, ordered("server", "v1"));
		runner(file).run((context) -> {
			McpStdioServers servers = context.getBean(McpStdioServers.class);
			long before = pid(servers, "server");
			write(file, ordered("server", "v2"), "rw-rw-r--");
			await().atMost(Duration.ofSeconds(60)).until(() -> output.getOut().contains("MCP servers not reloaded"));
			Path real = file.toRealPath();
			assertThat(output.getOut().lines().filter((line) -> line.contains("MCP servers not reloaded")))
				.singleElement()
				.asString()
				.contains("WARN", "file " + real + " (mode 0664, owner " + Files.getOwner(real).getName(),
						"is writable by its group", "Run chmod g-w " + real, "The running servers stay as they are.");
			assertThat(pid(servers, "server")).isEqualTo(before);
			assertThat(servers.server("server").definition().processSpec().env()).containsEntry("VERSION", "v1");
			assertThat(context.getBean(Events.class).changes).isEmpty();
			// the chmod that the WARN names is a change too: the edit applies
			Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
			await().atMost(Duration.ofSeconds(60))
				.until(() -> output.getOut().contains("MCP servers reloaded after a change of the config-file"));
			assertThat(pid(servers, "server")).isNotEqualTo(before);
			assertThat(servers.server("server").definition().processSpec().env()).containsEntry("VERSION", "v2");
		});
	}

	@Test
	void reloadWithoutAFileToWatchFailsStartupNamingTheFix() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(McpStdioAutoConfiguration.class))
			.withPropertyValues("mcp.stdio.config-file-reload=true")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(McpStdioConfigurationException.class)
				.hasMessage("mcp.stdio.config-file-reload is true, but no mcp.stdio.config-file is set, so there is"
						+ " nothing to watch"));
	}

	@Test
	void reloadIsOffUnlessSetAndThenWatchesNothing() throws Exception {
		Path file = this.directory.resolve("mcp.json");
		write(file, ordered());
		ApplicationContextRunner runner = new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(McpStdioAutoConfiguration.class))
			.withPropertyValues("mcp.stdio.config-file=" + file);
		// a bean either way: the property is read where the application runs, not by a
		// condition that AOT processing would fix
		runner.run((context) -> assertThat(context.getBean(ConfigFileReload.class).isRunning()).isFalse());
		runner.withPropertyValues("mcp.stdio.config-file-reload=true")
			.run((context) -> assertThat(context.getBean(ConfigFileReload.class).isRunning()).isTrue());
	}

	/** Names and versions, in their order. */
	private static Map<String, String> ordered(String... namesAndVersions) {
		Map<String, String> versions = new LinkedHashMap<>();
		for (int i = 0; i < namesAndVersions.length; i += 2) {
			versions.put(namesAndVersions[i], namesAndVersions[i + 1]);
		}
		return versions;
	}

	/** A config-file of fixture servers, each with a VERSION variable. */
	static void write(Path file, Map<String, String> versions) throws IOException {
		write(file, versions, "rw-r--r--");
	}

	/** A config-file of fixture servers, of the given permissions. */
	static void write(Path file, Map<String, String> versions, String permissions) throws IOException {
		Map<String, Object> servers = new LinkedHashMap<>();
		versions.forEach((name, version) -> {
			List<String> args = new ArrayList<>(Fixtures.JVM_ARGS);
			args.addAll(List.of("-cp", System.getProperty("java.class.path"), FixtureServer.class.getName()));
			servers.put(name, Map.of("command", Path.of(System.getProperty("java.home"), "bin", "java").toString(),
					"args", args, "env", Map.of("VERSION", version)));
		});
		// written aside and moved in, so that the watcher never reads half a file
		Path next = file.resolveSibling(file.getFileName() + ".next");
		Files.writeString(next, JsonMapper.builder().build().writeValueAsString(Map.of("mcpServers", servers)));
		Files.setPosixFilePermissions(next, PosixFilePermissions.fromString(permissions));
		Files.move(next, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
	}

	static long pid(McpStdioServers servers, String name) {
		McpStdioServer server = servers.server(name);
		await().atMost(Duration.ofSeconds(60)).until(() -> server.state() == ServerState.RUNNING);
		return server.pid().orElseThrow();
	}

	@Configuration(proxyBeanMethods = false)
	static class Events {

		final List<String> changes = new CopyOnWriteArrayList<>();

		@Bean
		ApplicationListener<McpStdioServersChangedEvent> serversChanged() {
			return (event) -> this.changes.add("added " + event.getAdded() + ", removed " + event.getRemoved()
					+ ", restarted " + event.getRestarted());
		}

	}

}
