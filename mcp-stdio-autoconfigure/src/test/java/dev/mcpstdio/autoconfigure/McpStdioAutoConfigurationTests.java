package dev.mcpstdio.autoconfigure;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.mcpstdio.process.ProcessLauncher;
import dev.mcpstdio.process.orphan.OrphanGuardDemo;
import dev.mcpstdio.process.platform.ProcessTree;
import dev.mcpstdio.server.McpStdioServer;
import dev.mcpstdio.server.McpStdioServers;
import dev.mcpstdio.server.ServerState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.autoconfigure.actuate.endpoint.HealthEndpointAutoConfiguration;
import org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class McpStdioAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(McpStdioAutoConfiguration.class));

	@TempDir
	Path dir;

	@Test
	void autoConfigurationWithoutServersProvidesEmptyRegistry() {
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(McpStdioServers.class);
			assertThat(context.getBean(McpStdioServers.class).names()).isEmpty();
			assertThat(context).hasSingleBean(McpStdioToolCallbackProvider.class);
		});
	}

	@Test
	void contextStartReapsWhatAnApplicationKilledOutrightLeftInTheLedger() throws Exception {
		// the launcher exists before the orphans do: only the context's start can reap
		// them
		ProcessLauncher launcher = new ProcessLauncher(new ProcessLauncher.Options(true, true, false, this.dir));
		List<ProcessHandle> orphans = OrphanGuardDemo.runAndKill(this.dir, "ledger-only", 2);
		try {
			assertThat(orphans).allMatch(ProcessTree::isRunning);
			this.runner.withBean(ProcessLauncher.class, () -> launcher).run((context) -> {
				assertThat(context).hasNotFailed();
				await().atMost(Duration.ofSeconds(5)).until(() -> orphans.stream().noneMatch(ProcessTree::isRunning));
			});
			assertThat(this.dir).isEmptyDirectory();
		}
		finally {
			orphans.forEach(ProcessHandle::destroyForcibly);
		}
	}

	@Test
	void autoConfigurationBacksOffWhenDisabled() {
		this.runner.withPropertyValues("mcp.stdio.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(McpStdioServers.class));
	}

	@Test
	void toolCallbackProviderBacksOffWhenUserDefinesOne() {
		this.runner.withUserConfiguration(OwnToolCallbacks.class)
			.run((context) -> assertThat(context).hasSingleBean(McpStdioToolCallbackProvider.class)
				.hasBean("ownToolCallbacks"));
	}

	@Test
	void healthContributorIsOnByDefaultAndOffWhenDisabledUnderEveryRelaxedSpelling() {
		// relaxed names, as SpringApplication attaches them
		ApplicationContextRunner withHealth = this.runner
			.withConfiguration(AutoConfigurations.of(McpStdioHealthContributorAutoConfiguration.class))
			.withInitializer((context) -> ConfigurationPropertySources.attach(context.getEnvironment()));
		withHealth.run((context) -> assertThat(context).hasBean("mcpStdioHealthContributor"));
		for (String spelling : List.of("mcp-stdio", "mcpStdio", "mcpstdio", "mcp_stdio")) {
			withHealth.withPropertyValues("management.health." + spelling + ".enabled=false")
				.run((context) -> assertThat(context).as(spelling).doesNotHaveBean("mcpStdioHealthContributor"));
		}
		withHealth
			.withInitializer((context) -> context.getEnvironment()
				.getPropertySources()
				.replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
						new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
								Map.of("MANAGEMENT_HEALTH_MCPSTDIO_ENABLED", "false"))))
			.run((context) -> assertThat(context).doesNotHaveBean("mcpStdioHealthContributor"));
	}

	@Test
	void healthOfTheRequiredServersIsAggregatedInTheStatusOrderOfTheHealthEndpoint() {
		// a keep-alive false server is UP without a process, a lazy one UNKNOWN until
		// used
		ApplicationContextRunner withHealth = this.runner
			.withConfiguration(AutoConfigurations.of(McpStdioHealthContributorAutoConfiguration.class,
					HealthContributorRegistryAutoConfiguration.class, HealthEndpointAutoConfiguration.class))
			.withPropertyValues("mcp.stdio.servers.sessions.command=sh", "mcp.stdio.servers.sessions.keep-alive=false",
					"mcp.stdio.servers.lazy.command=sh", "mcp.stdio.servers.lazy.startup=lazy");
		withHealth.run((context) -> assertThat(mcpStdioHealth(context)).isEqualTo(Status.UP));
		withHealth.withPropertyValues("management.endpoint.health.status.order=unknown,up")
			.run((context) -> assertThat(mcpStdioHealth(context)).isEqualTo(Status.UNKNOWN));
	}

	private static Status mcpStdioHealth(AssertableApplicationContext context) {
		assertThat(context).hasNotFailed();
		return context.getBean(HealthEndpoint.class).healthForPath("mcpStdio").getStatus();
	}

	@Test
	void eachServerIsALifecycleBeanAndStartsWithTheContext() {
		this.runner
			.withPropertyValues(
					FixtureProperties.servers(FixtureProperties.server("alpha"), FixtureProperties.server("beta")))
			.run((context) -> {
				assertThat(context).hasBean("mcpStdioServer.alpha").hasBean("mcpStdioServer.beta");
				McpStdioServers servers = context.getBean(McpStdioServers.class);
				assertThat(servers.names()).containsExactly("alpha", "beta");
				assertThat(servers.servers()).extracting(McpStdioServer::state).containsOnly(ServerState.RUNNING);
			});
	}

	@Test
	void failureWhenNeitherCommandNorJava() {
		assertFailure(List.of("mcp.stdio.servers.empty.keep-alive=true"), "empty", "mcp.stdio.servers.empty.command",
				"has neither a command nor a Java main class or jar", "Set mcp.stdio.servers.empty.command");
	}

	@Test
	void failureWhenBothCommandAndJava() {
		assertFailure(List.of("mcp.stdio.servers.both.command=sh", "mcp.stdio.servers.both.java.main-class=x.Y"),
				"both", "mcp.stdio.servers.both.command", "has both a command and java settings", "not both");
	}

	@Test
	void failureWhenJavaHasBothMainClassAndJar() {
		assertFailure(List.of("mcp.stdio.servers.j.java.main-class=x.Y", "mcp.stdio.servers.j.java.jar=/x.jar"), "j",
				"mcp.stdio.servers.j.java.main-class", "exactly one of java.main-class and java.jar", "not both");
	}

	@Test
	void failureWhenJarIsMissing() {
		assertFailure(List.of("mcp.stdio.servers.j.java.jar=/no/such/server.jar"), "j", "mcp.stdio.servers.j.java.jar",
				"java.jar /no/such/server.jar does not exist", "Fix mcp.stdio.servers.j.java.jar");
	}

	@Test
	void failureWhenCommandIsNotOnPath() {
		assertFailure(List.of("mcp.stdio.servers.ghost.command=no-such-mcp-server"), "ghost",
				"mcp.stdio.servers.ghost.command", "command 'no-such-mcp-server' was not found on PATH",
				"set mcp.stdio.servers.ghost.command to its absolute path");
	}

	@Test
	void failureWhenCommandIsNotExecutable() throws Exception {
		Path file = Files.writeString(this.dir.resolve("server.sh"), "#!/bin/sh\n");
		assertFailure(List.of("mcp.stdio.servers.plain.command=" + file), "plain", "mcp.stdio.servers.plain.command",
				"command '" + file + "' was not found or is not executable", "absolute path");
	}

	@Test
	void failureWhenWorkingDirectoryIsMissing() {
		assertFailure(List.of("mcp.stdio.servers.w.command=sh", "mcp.stdio.servers.w.working-directory=/no/such/dir"),
				"w", "mcp.stdio.servers.w.working-directory", "working-directory /no/such/dir does not exist",
				"Create the directory or fix mcp.stdio.servers.w.working-directory");
	}

	@Test
	void failureWhenDependsOnUnknownServer() {
		assertFailure(List.of("mcp.stdio.servers.app.command=sh", "mcp.stdio.servers.app.depends-on=dbb"), "app",
				"mcp.stdio.servers.app.depends-on", "depends on 'dbb', which is not a configured server",
				"Fix the name in mcp.stdio.servers.app.depends-on");
	}

	@Test
	void failureWhenAPoolIsSetOnAKeepAliveServer() {
		assertFailure(List.of("mcp.stdio.servers.p.command=sh", "mcp.stdio.servers.p.pool.min-idle=2"), "p",
				"mcp.stdio.servers.p.pool.min-idle", "has pool.min-idle 2 but keep-alive: true",
				"Set mcp.stdio.servers.p.keep-alive to false");
	}

	@Test
	void failureWhenThePoolIsLargerThanMaxSessions() {
		assertFailure(
				List.of("mcp.stdio.servers.p.command=sh", "mcp.stdio.servers.p.keep-alive=false",
						"mcp.stdio.servers.p.pool.min-idle=5", "mcp.stdio.servers.p.max-sessions=4"),
				"p", "mcp.stdio.servers.p.pool.min-idle",
				"pool.min-idle must be between 0 and max-sessions (4), but is 5",
				"to at most mcp.stdio.servers.p.max-sessions");
	}

	@Test
	void failureWhenMaxSessionsIsZero() {
		assertFailure(
				List.of("mcp.stdio.servers.p.command=sh", "mcp.stdio.servers.p.keep-alive=false",
						"mcp.stdio.servers.p.max-sessions=0"),
				"p", "mcp.stdio.servers.p.max-sessions", "max-sessions must be at least 1, but is 0",
				"how many processes of it may run at once");
	}

	@Test
	void failureWhenDependenciesFormACycle() {
		assertFailure(
				List.of("mcp.stdio.servers.a.command=sh", "mcp.stdio.servers.a.depends-on=b",
						"mcp.stdio.servers.b.command=sh", "mcp.stdio.servers.b.depends-on=c",
						"mcp.stdio.servers.c.command=sh", "mcp.stdio.servers.c.depends-on=a"),
				"a", "mcp.stdio.servers.a.depends-on", "cycle: a -> b -> c -> a",
				"Remove one of the depends-on entries");
	}

	@Test
	void failureWhenDurationIsZero() {
		assertFailure(List.of("mcp.stdio.servers.z.command=sh", "mcp.stdio.servers.z.request-timeout=0s"), "z",
				"mcp.stdio.servers.z.request-timeout", "request-timeout is PT0S, but must be a positive duration",
				"Set mcp.stdio.servers.z.request-timeout (or mcp.stdio.defaults.request-timeout");
	}

	@Test
	void failureWhenDurationIsNegative() {
		assertFailure(List.of("mcp.stdio.servers.n.command=sh", "mcp.stdio.servers.n.shutdown.term-timeout=-1s"), "n",
				"mcp.stdio.servers.n.shutdown.term-timeout", "shutdown.term-timeout is PT-1S",
				"Set mcp.stdio.servers.n.shutdown.term-timeout");
	}

	@Test
	void failureWhenConfigFileIsInvalidJsonNamesLineAndColumn() throws Exception {
		Path file = Files.writeString(this.dir.resolve("mcp.json"),
				"{\n  \"mcpServers\": {\n    \"a\": { \"command\" \"sh\" }\n  }\n}\n");
		assertFailure(List.of("mcp.stdio.config-file=" + file), null, "mcp.stdio.config-file",
				"is not valid at line 3, column", "Fix the JSON at line 3");
	}

	@Test
	void failureWhenConfigFileCannotBeRead() {
		assertFailure(List.of("mcp.stdio.config-file=" + this.dir.resolve("missing.json")), null,
				"mcp.stdio.config-file", "cannot be read", "Point mcp.stdio.config-file at a readable JSON file");
	}

	@Test
	void failureWhenConfigFileNamesAServerTwice() throws Exception {
		Path file = Files.writeString(this.dir.resolve("mcp.json"),
				"{\"mcpServers\": {\"a\": {\"command\": \"sh\"},\n \"a\": {\"command\": \"sh\"}}}");
		assertFailure(List.of("mcp.stdio.config-file=" + file), null, "mcp.stdio.config-file",
				"Duplicate Object property \"a\"", "at line 2");
	}

	@Test
	void configFileInClaudeDesktopFormIsImportedAndOverriddenByProperties() throws Exception {
		Path file = Files.writeString(this.dir.resolve("claude.json"),
				"""
						{"mcpServers": {
						  "files": {"command": "sh", "args": ["-c", "${GREETING_ARG}"], "env": {"TOKEN": "${env:SECRET_TOKEN}"}},
						  "other": {"command": "sh", "args": ["from-file"]},
						  "remote": {"url": "https://example.invalid/mcp"}
						}}
						""");
		this.runner
			.withPropertyValues("mcp.stdio.config-file=" + file, "GREETING_ARG=hello", "SECRET_TOKEN=s3cr3t",
					"mcp.stdio.servers.other.args=from-yaml", "mcp.stdio.servers.other.startup=lazy",
					"mcp.stdio.servers.files.startup=lazy")
			.run((context) -> {
				McpStdioServers servers = context.getBean(McpStdioServers.class);
				assertThat(servers.names()).containsExactlyInAnyOrder("files", "other");
				assertThat(servers.server("files").definition().processSpec().command()).endsWith("-c", "hello");
				assertThat(servers.server("files").definition().processSpec().env()).containsEntry("TOKEN", "s3cr3t");
				assertThat(servers.server("other").definition().processSpec().command()).endsWith("from-yaml");
				assertThat(servers.server("other").definition().processSpec().command()).doesNotContain("from-file");
			});
	}

	@Test
	void configFileInVsCodeFormReadsEnvFileAndCwd() throws Exception {
		Files.writeString(this.dir.resolve(".env"), "# comment\nAPI_KEY=\"from-env-file\"\nMODE=file\n");
		Path file = Files.writeString(this.dir.resolve("mcp.json"), """
				{"servers": {
				  "code": {"type": "stdio", "command": "sh", "args": ["${workspaceFolder}/x"],
				           "envFile": ".env", "env": {"MODE": "explicit"}, "cwd": "${workspaceFolder}"},
				  "web": {"type": "http", "url": "https://example.invalid/mcp"}
				}}
				""");
		this.runner.withPropertyValues("mcp.stdio.config-file=" + file, "mcp.stdio.servers.code.startup=lazy")
			.run((context) -> {
				McpStdioServers servers = context.getBean(McpStdioServers.class);
				assertThat(servers.names()).containsExactly("code");
				var spec = servers.server("code").definition().processSpec();
				assertThat(spec.env()).containsEntry("API_KEY", "from-env-file").containsEntry("MODE", "explicit");
				assertThat(spec.workingDirectory()).isEqualTo(this.dir.toAbsolutePath());
				assertThat(spec.command()).endsWith(this.dir.toAbsolutePath() + "/x");
			});
	}

	@Test
	void metadataDescribesEveryTopLevelProperty() throws Exception {
		try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
			assertThat(in).as("generated configuration metadata").isNotNull();
			@SuppressWarnings("unchecked")
			Map<String, Object> metadata = JsonMapper.builder().build().readValue(in, Map.class);
			@SuppressWarnings("unchecked")
			List<Map<String, Object>> properties = (List<Map<String, Object>>) metadata.get("properties");
			assertThat(properties).extracting((p) -> p.get("name"))
				.contains("mcp.stdio.enabled", "mcp.stdio.config-file", "mcp.stdio.servers");
			assertThat(properties).allSatisfy((p) -> assertThat((String) p.get("description")).isNotBlank());
			assertThat(properties).filteredOn((p) -> "mcp.stdio.enabled".equals(p.get("name")))
				.singleElement()
				.satisfies((p) -> assertThat(p.get("defaultValue")).isEqualTo(true));
		}
	}

	private void assertFailure(List<String> properties, String server, String property, String description,
			String action) {
		this.runner.withPropertyValues(properties.toArray(new String[0])).run((context) -> {
			assertThat(context).hasFailed();
			FailureAnalysis analysis = new McpStdioConfigurationFailureAnalyzer().analyze(context.getStartupFailure());
			assertThat(analysis).as("failure analysis of %s", context.getStartupFailure()).isNotNull();
			assertThat(analysis.getDescription()).contains(description);
			if (server != null) {
				assertThat(analysis.getDescription()).contains("'" + server + "'");
			}
			assertThat(analysis.getAction()).contains(action);
			McpStdioConfigurationException cause = (McpStdioConfigurationException) analysis.getCause();
			assertThat(cause.getProperty()).isEqualTo(property);
			assertThat(cause.getServerName()).isEqualTo(server);
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class OwnToolCallbacks {

		@Bean
		McpStdioToolCallbackProvider ownToolCallbacks(McpStdioServers servers) {
			return new McpStdioToolCallbackProvider(servers);
		}

	}

}
