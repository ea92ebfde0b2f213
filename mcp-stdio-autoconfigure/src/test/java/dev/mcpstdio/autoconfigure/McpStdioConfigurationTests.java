package dev.mcpstdio.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.mcpstdio.process.CommandResolver;
import dev.mcpstdio.process.InheritEnv;
import dev.mcpstdio.process.ProcessSpec;
import dev.mcpstdio.server.McpStdioServers;
import dev.mcpstdio.server.ServerDefinition;
import dev.mcpstdio.transport.StdioTransportOptions;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.io.ByteArrayResource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Strict binding and {@code mcp.stdio.defaults}, in a real application context.
 */
class McpStdioConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(McpStdioAutoConfiguration.class));

	@Test
	void misspelledPropertyOfAServerFailsNamingTheServerTheKeyAndTheNearestProperty() {
		assertUnknown(
				List.of("mcp.stdio.servers.x.command=sh", "mcp.stdio.servers.x.startup=lazy",
						"mcp.stdio.servers.x.request-timout=5s"),
				"x", "mcp.stdio.servers.x.request-timout", "Did you mean mcp.stdio.servers.x.request-timeout?");
	}

	@Test
	void entryWhoseOnlyKeyIsMisspelledFailsInsteadOfVanishing() {
		assertUnknown(List.of("mcp.stdio.servers.x.comand=sh"), "x", "mcp.stdio.servers.x.comand",
				"Did you mean mcp.stdio.servers.x.command?");
	}

	@Test
	void misspelledNestedPropertyFailsNamingTheNearestNestedOne() {
		assertUnknown(
				List.of("mcp.stdio.servers.x.command=sh", "mcp.stdio.servers.x.startup=lazy",
						"mcp.stdio.servers.x.shutdown.term-timout=1s"),
				"x", "mcp.stdio.servers.x.shutdown.term-timout",
				"Did you mean mcp.stdio.servers.x.shutdown.term-timeout?");
	}

	@Test
	void misspelledSandboxPropertyFailsNamingTheNearestOne() {
		assertUnknown(
				List.of("mcp.stdio.servers.x.command=sh", "mcp.stdio.servers.x.startup=lazy",
						"mcp.stdio.servers.x.sandbox.network.allowed-domain[0]=example.com"),
				"x", "mcp.stdio.servers.x.sandbox.network.allowed-domain.0",
				"Did you mean mcp.stdio.servers.x.sandbox.network.allowed-domains?");
	}

	@Test
	void singularServerFailsNamingServers() {
		assertUnknown(List.of("mcp.stdio.server.x.command=sh"), null, "mcp.stdio.server.x.command",
				"Did you mean mcp.stdio.servers.x.command?");
	}

	@Test
	void misspelledDefaultFailsNamingTheNearestDefault() {
		assertUnknown(List.of("mcp.stdio.defaults.request-timeuot=5s"), null, "mcp.stdio.defaults.request-timeuot",
				"Did you mean mcp.stdio.defaults.request-timeout?");
	}

	@Test
	void unknownKeyWithNothingNearFailsPointingAtTheReference() {
		assertUnknown(List.of("mcp.stdio.frobnicate-everything=true"), null, "mcp.stdio.frobnicate-everything",
				"Remove the key");
	}

	@Test
	void environmentVariablesUnderThePrefixAreNotChecked() {
		this.runner
			.withInitializer(
					(context) -> context.getEnvironment()
						.getPropertySources()
						.addLast(new SystemEnvironmentPropertySource(
								StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
								Map.of("MCP_STDIO_LEDGER", "a-token-meant-for-someone-else"))))
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void toolCallbacksEnabledIsAKnownProperty() {
		this.runner.withPropertyValues("mcp.stdio.tool-callbacks.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(McpStdioToolCallbackProvider.class));
	}

	@Test
	void defaultsApplyToEveryServerThatDoesNotSetItsOwn() {
		this.runner
			.withPropertyValues("mcp.stdio.defaults.request-timeout=60s", "mcp.stdio.defaults.shutdown.term-timeout=5s",
					"mcp.stdio.defaults.startup=lazy", "mcp.stdio.defaults.restart.policy=always",
					"mcp.stdio.servers.a.command=sh", "mcp.stdio.servers.a.shutdown.eof-timeout=1s",
					"mcp.stdio.servers.b.command=sh", "mcp.stdio.servers.b.request-timeout=10s",
					"mcp.stdio.servers.b.shutdown.term-timeout=3s")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				McpStdioServers servers = context.getBean(McpStdioServers.class);
				ServerDefinition a = servers.server("a").definition();
				ServerDefinition b = servers.server("b").definition();
				assertThat(a.transportOptions().requestTimeout()).isEqualTo(Duration.ofSeconds(60));
				assertThat(a.transportOptions().stopTimeouts().term()).isEqualTo(Duration.ofSeconds(5));
				assertThat(a.transportOptions().stopTimeouts().eof()).isEqualTo(Duration.ofSeconds(1));
				assertThat(b.transportOptions().requestTimeout()).isEqualTo(Duration.ofSeconds(10));
				assertThat(b.transportOptions().stopTimeouts().term()).isEqualTo(Duration.ofSeconds(3));
				assertThat(b.transportOptions().stopTimeouts().eof()).isEqualTo(Duration.ofSeconds(2));
				assertThat(List.of(a, b)).allSatisfy((definition) -> {
					assertThat(definition.startup()).hasToString("LAZY");
					assertThat(definition.restart().policy()).hasToString("ALWAYS");
				});
			});
	}

	@Test
	void inheritEnvReadsMinimalAllNoneAndTrueOrFalseAndPassEnvComesFromDefaults() {
		this.runner
			.withPropertyValues("mcp.stdio.defaults.startup=lazy", "mcp.stdio.defaults.inherit-env=true",
					"mcp.stdio.defaults.pass-env=NPM_CONFIG_*", "mcp.stdio.servers.a.command=sh",
					"mcp.stdio.servers.b.command=sh", "mcp.stdio.servers.b.inherit-env=false",
					"mcp.stdio.servers.b.pass-env[0]=GITHUB_TOKEN", "mcp.stdio.servers.c.command=sh",
					"mcp.stdio.servers.c.inherit-env=minimal")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				McpStdioServers servers = context.getBean(McpStdioServers.class);
				ProcessSpec a = servers.server("a").definition().processSpec();
				ProcessSpec b = servers.server("b").definition().processSpec();
				ProcessSpec c = servers.server("c").definition().processSpec();
				assertThat(a.inheritEnv()).isEqualTo(InheritEnv.ALL);
				assertThat(a.passEnv()).containsExactly("NPM_CONFIG_*");
				assertThat(b.inheritEnv()).isEqualTo(InheritEnv.NONE);
				assertThat(b.passEnv()).containsExactly("GITHUB_TOKEN");
				assertThat(c.inheritEnv()).isEqualTo(InheritEnv.MINIMAL);
				assertThat(c.passEnv()).containsExactly("NPM_CONFIG_*");
			});
		// YAML's bare true and false are booleans
		this.runner.withPropertyValues("mcp.stdio.servers.a.command=sh", "mcp.stdio.servers.a.startup=lazy")
			.withInitializer((context) -> context.getEnvironment()
				.getPropertySources()
				.addFirst(new MapPropertySource("yaml", Map.of("mcp.stdio.servers.a.inherit-env", false))))
			.run((context) -> assertThat(
					context.getBean(McpStdioServers.class).server("a").definition().processSpec().inheritEnv())
				.isEqualTo(InheritEnv.NONE));
		this.runner
			.withPropertyValues("mcp.stdio.servers.a.command=sh", "mcp.stdio.servers.a.startup=lazy",
					"mcp.stdio.servers.a.inherit-env=some")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("'some' is not an inherit-env setting: use minimal, all or none"));
	}

	@Test
	void badDefaultFailsNamingEachServerThatTakesIt() {
		this.runner
			.withPropertyValues("mcp.stdio.defaults.request-timeout=0s", "mcp.stdio.servers.a.command=sh",
					"mcp.stdio.servers.a.startup=lazy")
			.run((context) -> {
				FailureAnalysis analysis = new McpStdioConfigurationFailureAnalyzer()
					.analyze(context.getStartupFailure());
				assertThat(analysis).isNotNull();
				assertThat(analysis.getDescription()).contains("'a'", "request-timeout is PT0S");
				assertThat(analysis.getAction()).contains("mcp.stdio.servers.a.request-timeout",
						"mcp.stdio.defaults.request-timeout");
			});
	}

	@Test
	void metadataCompletesEveryPerServerPropertyUnderDefaults() throws Exception {
		try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
			@SuppressWarnings("unchecked")
			Map<String, Object> metadata = JsonMapper.builder().build().readValue(in, Map.class);
			@SuppressWarnings("unchecked")
			List<Map<String, Object>> properties = (List<Map<String, Object>>) metadata.get("properties");
			List<Object> names = properties.stream().map((p) -> p.get("name")).toList();
			assertThat(names).contains("mcp.stdio.defaults.keep-alive", "mcp.stdio.defaults.inherit-env",
					"mcp.stdio.defaults.pass-env", "mcp.stdio.defaults.idle-timeout",
					"mcp.stdio.defaults.pool.min-idle", "mcp.stdio.defaults.max-sessions", "mcp.stdio.defaults.startup",
					"mcp.stdio.defaults.required", "mcp.stdio.defaults.initialize-timeout",
					"mcp.stdio.defaults.request-timeout", "mcp.stdio.defaults.max-message-size",
					"mcp.stdio.defaults.shutdown.drain-timeout", "mcp.stdio.defaults.shutdown.eof-timeout",
					"mcp.stdio.defaults.shutdown.term-timeout", "mcp.stdio.defaults.restart.policy",
					"mcp.stdio.defaults.restart.max-restarts", "mcp.stdio.defaults.restart.window",
					"mcp.stdio.defaults.restart.initial-backoff", "mcp.stdio.defaults.restart.max-backoff",
					"mcp.stdio.defaults.health.ping-interval", "mcp.stdio.defaults.health.ping-timeout",
					"mcp.stdio.defaults.health.failure-threshold", "mcp.stdio.defaults.stderr.level",
					"mcp.stdio.defaults.stderr.tail-lines", "mcp.stdio.defaults.container.engine",
					"mcp.stdio.defaults.container.init", "mcp.stdio.defaults.container.remove", "mcp.stdio.inputs",
					"mcp.stdio.tool-callbacks.enabled", "management.health.mcp-stdio.enabled");
			assertThat(names).doesNotContain("mcp.stdio.defaults.command", "mcp.stdio.defaults.args",
					"mcp.stdio.defaults.env", "mcp.stdio.defaults.working-directory");
			assertThat(properties).allSatisfy((p) -> assertThat((String) p.get("description")).isNotBlank());
			assertThat(properties).filteredOn((p) -> "mcp.stdio.defaults.request-timeout".equals(p.get("name")))
				.singleElement()
				.satisfies((p) -> assertThat(p.get("defaultValue")).isEqualTo("30s"));
		}
	}

	@Test
	void configurationBlockOfTheReadmeBindsAsPasted() throws Exception {
		readmeBlock("## Configuration\n").run((context) -> {
			assertThat(context).hasNotFailed();
			ServerDefinition files = context.getBean(McpStdioServers.class).server("files").definition();
			assertThat(files.requestTimeout()).isEqualTo(Duration.ofSeconds(60));
			assertThat(files.processSpec().env()).containsEntry("LOG_LEVEL", "info");
		});
	}

	@Test
	void callsBlockOfTheReadmeBindsAsPasted() throws Exception {
		readmeBlock("## Calls\n").run((context) -> {
			assertThat(context).hasNotFailed();
			StdioTransportOptions files = context.getBean(McpStdioServers.class)
				.server("files")
				.definition()
				.transportOptions();
			assertThat(files.tools().allows("create_directory")).isFalse();
			assertThat(files.tools().allows("read_text_file")).isTrue();
			assertThat(files.tools().requestTimeouts()).containsEntry("search_files", Duration.ofMinutes(2));
			assertThat(files.maxConcurrentRequests()).isEqualTo(4);
			assertThat(files.progress().maxRequestTimeout()).isEqualTo(Duration.ofMinutes(10));
		});
	}

	/**
	 * The runner with the first YAML block of the README's section of the heading, its
	 * {@code files} server started on first use (so that the test needs no network), and
	 * run by sh where there is no npx.
	 */
	private ApplicationContextRunner readmeBlock(String heading) throws IOException {
		String readme = Files.readString(Path.of("..", "README.md"));
		String section = readme.substring(readme.indexOf(heading));
		String yaml = section.substring(section.indexOf("```yaml\n") + 8, section.indexOf("```\n", 10));
		List<PropertySource<?>> sources = new YamlPropertySourceLoader().load("README.md",
				new ByteArrayResource(yaml.getBytes(StandardCharsets.UTF_8)));
		boolean npx = new CommandResolver(System.getenv()).resolve("npx", null).isPresent();
		return this.runner
			.withInitializer((context) -> sources.forEach(context.getEnvironment().getPropertySources()::addLast))
			.withPropertyValues("mcp.stdio.servers.files.startup=lazy",
					npx ? "mcp.stdio.servers.files.args[0]=-y" : "mcp.stdio.servers.files.command=sh");
	}

	@Test
	void domainThatIsNoHostNameFailsNamingTheProperty() {
		assertInvalid(
				List.of("mcp.stdio.servers.x.command=sh", "mcp.stdio.servers.x.startup=lazy",
						"mcp.stdio.servers.x.sandbox.network.allowed-domains[0]=https://api.github.com/"),
				"mcp.stdio.servers.x.sandbox.network.allowed-domains", "*.example.com for the subdomains");
	}

	@Test
	void zeroToolTimeoutFailsNamingTheProperty() {
		assertInvalid(
				List.of("mcp.stdio.servers.x.command=sh", "mcp.stdio.servers.x.startup=lazy",
						"mcp.stdio.servers.x.tools.request-timeouts.slow=0s"),
				"tools.request-timeouts.slow", "a positive duration");
	}

	@Test
	void negativeLimitFailsNamingTheProperty() {
		assertInvalid(
				List.of("mcp.stdio.servers.x.command=sh", "mcp.stdio.servers.x.startup=lazy",
						"mcp.stdio.servers.x.limits.memory=-1MB"),
				"mcp.stdio.servers.x.limits.memory", "0 (no limit) or a positive value");
	}

	@Test
	void containerWithNamedDomainsFailsSayingItsNetworkCannotBeFiltered() {
		assertInvalid(
				List.of("mcp.stdio.servers.x.command=docker", "mcp.stdio.servers.x.args=run,-i,mcp/github",
						"mcp.stdio.servers.x.startup=lazy", "mcp.stdio.servers.x.sandbox.enabled=true",
						"mcp.stdio.servers.x.sandbox.network.allowed-domains=api.github.com"),
				"mcp.stdio.servers.x.sandbox.network.allowed-domains",
				"to [] or [\"*\"] for a server run in a container");
	}

	private void assertInvalid(List<String> properties, String property, String text) {
		this.runner.withPropertyValues(properties.toArray(new String[0])).run((context) -> {
			assertThat(context).hasFailed();
			FailureAnalysis analysis = new McpStdioConfigurationFailureAnalyzer().analyze(context.getStartupFailure());
			assertThat(analysis).as("failure analysis of %s", context.getStartupFailure()).isNotNull();
			assertThat(analysis.getDescription()).contains("MCP server 'x'");
			assertThat(analysis.getDescription() + analysis.getAction()).contains(property, text);
		});
	}

	private void assertUnknown(List<String> properties, String server, String property, String action) {
		this.runner.withPropertyValues(properties.toArray(new String[0])).run((context) -> {
			assertThat(context).hasFailed();
			FailureAnalysis analysis = new McpStdioConfigurationFailureAnalyzer().analyze(context.getStartupFailure());
			assertThat(analysis).as("failure analysis of %s", context.getStartupFailure()).isNotNull();
			assertThat(analysis.getDescription()).contains(property);
			if (server != null) {
				assertThat(analysis.getDescription()).contains("MCP server '" + server + "'");
			}
			assertThat(analysis.getAction()).contains(action);
			McpStdioConfigurationException cause = (McpStdioConfigurationException) analysis.getCause();
			assertThat(cause.getProperty()).isEqualTo(property);
			assertThat(cause.getServerName()).isEqualTo(server);
		});
	}

}
