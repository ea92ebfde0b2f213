package dev.mcpstdio.autoconfigure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import dev.mcpstdio.actuate.McpStdioEndpoint;
import dev.mcpstdio.process.ProcessLauncher;
import dev.mcpstdio.process.platform.ProcessTree;
import dev.mcpstdio.server.McpStdioServers;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.ai.tool.ToolCallback;
import org.springframework.aot.test.generate.TestGenerationContext;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.autoconfigure.actuate.endpoint.HealthEndpointAutoConfiguration;
import org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.aot.ApplicationContextAotGenerator;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.test.tools.CompileWithForkedClassLoader;
import org.springframework.core.test.tools.TestCompiler;
import org.springframework.javapoet.ClassName;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * AOT processing of a context with the starter (servers from properties and from a
 * config-file, the actuator parts, Spring AI's tool callbacks), its generated code
 * compiled and run with another configuration than the build's: the servers follow the
 * run-time one, and stop with the ladder.
 */
@CompileWithForkedClassLoader
@ExtendWith(OutputCaptureExtension.class)
class McpStdioAotTests {

	@TempDir
	Path directory;

	@Test
	void generatedContextFollowsTheRunTimeConfigurationAndStopsWithTheLadder(CapturedOutput output) throws Exception {
		Set<ProcessHandle> before = runningDescendants();
		Path file = this.directory.resolve("mcp.json");
		ConfigFileReloadTests.write(file, ordered("fromfile", "v1", "gone", "v1"));
		AnnotationConfigApplicationContext build = context(properties(file, FixtureProperties.server("alpha")));
		TestGenerationContext generation = new TestGenerationContext();
		ClassName initializer = new ApplicationContextAotGenerator().processAheadOfTime(build, generation);
		generation.writeGeneratedContent();
		assertThat(build.getBeanNamesForType(McpStdioServerLifecycle.class))
			.containsExactlyInAnyOrder("mcpStdioServer.alpha", "mcpStdioServer.fromfile", "mcpStdioServer.gone");
		// after the build: the config-file changed, a server and the reload added
		ConfigFileReloadTests.write(file, ordered("fromfile", "v2"));
		List<String> run = properties(file, FixtureProperties.server("alpha"),
				FixtureProperties.server("beta", "--ignore-eof"), List.of("mcp.stdio.servers.beta.depends-on=alpha",
						"mcp.stdio.config-file-reload=true", "mcp.stdio.config-file-quiet-period=200ms"));
		long[] pids = new long[2];
		TestCompiler.forSystem().with(generation).compile((compiled) -> {
			GenericApplicationContext context = new GenericApplicationContext();
			context.setEnvironment(environment(run));
			@SuppressWarnings("unchecked")
			ApplicationContextInitializer<GenericApplicationContext> generated = compiled
				.getInstance(ApplicationContextInitializer.class, initializer.toString());
			generated.initialize(context);
			context.refresh();
			try {
				assertThat(context.getBeanNamesForType(McpStdioServerLifecycle.class)).containsExactlyInAnyOrder(
						"mcpStdioServer.alpha", "mcpStdioServer.beta", "mcpStdioServer.fromfile");
				McpStdioServers servers = context.getBean(McpStdioServers.class);
				assertThat(servers.names()).containsExactlyInAnyOrder("alpha", "beta", "fromfile");
				assertThat(servers.server("fromfile").definition().processSpec().env()).containsEntry("VERSION", "v2");
				pids[0] = ConfigFileReloadTests.pid(servers, "alpha");
				pids[1] = ConfigFileReloadTests.pid(servers, "beta");
				assertThat(context.getBean(HealthEndpoint.class).healthForPath("mcpStdio", "beta").getStatus())
					.isEqualTo(Status.UP);
				assertThat(context.getBean(McpStdioEndpoint.class).server("beta")).isNotNull();
				assertThat(context.getBean(MeterRegistry.class)
					.find("mcp.stdio.process.memory")
					.tag("server", "beta")
					.gauge()).isNotNull();
				ToolCallback echo = Arrays
					.stream(context.getBean(McpStdioToolCallbackProvider.class).getToolCallbacks())
					.filter((callback) -> callback.getToolDefinition().name().equals("beta_echo"))
					.findFirst()
					.orElseThrow();
				assertThat(echo.call("{\"text\": \"generated\"}")).contains("generated");
				// the reload is on, as the run-time configuration says
				assertThat(context.getBean(ConfigFileReload.class).isRunning()).isTrue();
				write(file, ordered("fromfile", "v2", "late", "v1"));
				await().atMost(Duration.ofSeconds(60)).until(() -> servers.names().contains("late"));
				ConfigFileReloadTests.pid(servers, "late");
			}
			finally {
				context.close();
			}
		});
		String beta = "MCP server 'beta' (pid " + pids[1] + ") still running PT0.5S after stdin EOF: sending SIGTERM";
		String betaStopped = "MCP server 'beta' stopped: pid " + pids[1] + ", SIGTERM";
		String alphaStopped = "MCP server 'alpha' stopped: pid " + pids[0] + ", EOF";
		assertThat(output.getOut()).contains(beta, betaStopped, alphaStopped);
		assertThat(output.getOut().indexOf(betaStopped)).as("beta depends on alpha: stopped first")
			.isLessThan(output.getOut().indexOf(alphaStopped));
		assertThat(runningDescendants()).as("processes left").isSubsetOf(before);
	}

	private List<String> properties(Path file, List<String>... servers) {
		List<String> properties = new ArrayList<>(List.of(FixtureProperties.servers(servers)));
		properties.add("mcp.stdio.config-file=" + file);
		properties.add("management.endpoints.web.exposure.include=health,mcpstdio");
		properties.add("test.ledger=" + this.directory.resolve("ledger"));
		return properties;
	}

	private static AnnotationConfigApplicationContext context(List<String> properties) {
		AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();
		context.setEnvironment(environment(properties));
		context.register(AotApplication.class);
		return context;
	}

	private static StandardEnvironment environment(List<String> properties) {
		StandardEnvironment environment = new StandardEnvironment();
		TestPropertyValues.of(properties).applyTo(environment);
		ConfigurationPropertySources.attach(environment);
		return environment;
	}

	private static void write(Path file, Map<String, String> versions) {
		try {
			ConfigFileReloadTests.write(file, versions);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static Map<String, String> ordered(String... namesAndVersions) {
		Map<String, String> versions = new LinkedHashMap<>();
		for (int i = 0; i < namesAndVersions.length; i += 2) {
			versions.put(namesAndVersions[i], namesAndVersions[i + 1]);
		}
		return versions;
	}

	private static Set<ProcessHandle> runningDescendants() {
		return ProcessHandle.current().descendants().filter(ProcessTree::isRunning).collect(Collectors.toSet());
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ McpStdioAutoConfiguration.class, McpStdioHealthContributorAutoConfiguration.class,
			McpStdioEndpointAutoConfiguration.class, McpStdioMetricsAutoConfiguration.class,
			MetricsAutoConfiguration.class, HealthContributorRegistryAutoConfiguration.class,
			HealthEndpointAutoConfiguration.class })
	static class AotApplication {

		/**
		 * Without a guardian: one of the forked class loader's launcher would outlive the
		 * test, a child of the JVM that the other tests check for children.
		 */
		@Bean
		ProcessLauncher processLauncher(Environment environment) {
			return new ProcessLauncher(new ProcessLauncher.Options(true, true, false,
					Path.of(environment.getRequiredProperty("test.ledger"))));
		}

		@Bean
		SimpleMeterRegistry meterRegistry() {
			return new SimpleMeterRegistry();
		}

	}

}
