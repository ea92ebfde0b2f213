package dev.mcpstdio.autoconfigure;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import dev.mcpstdio.process.sandbox.SandboxSettings;
import dev.mcpstdio.server.McpStdioServers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The config-file as VS Code and Claude Desktop write it: JSONC, inputs and variables.
 */
@ExtendWith(OutputCaptureExtension.class)
class McpConfigFileTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(McpStdioAutoConfiguration.class))
		.withPropertyValues("mcp.stdio.defaults.startup=lazy");

	@TempDir
	Path dir;

	@Test
	void commentsAndTrailingCommasAreAcceptedAsVsCodeDoes() throws Exception {
		Path file = Files.writeString(this.dir.resolve("mcp.json"), """
				// VS Code's mcp.json is JSONC
				{
				  "servers": {
				    /* the one server */
				    "code": {"type": "stdio", "command": "sh", "args": ["-c", "true",],},
				  },
				}
				""");
		this.runner.withPropertyValues("mcp.stdio.config-file=" + file).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(McpStdioServers.class).server("code").definition().processSpec().command())
				.endsWith("-c", "true");
		});
	}

	@Test
	void inputIsTakenFromTheInputsProperty() throws Exception {
		Path file = writeServer("{\"command\": \"sh\", \"env\": {\"TOKEN\": \"${input:github-token}\"}}");
		this.runner
			.withPropertyValues("mcp.stdio.config-file=" + file, "mcp.stdio.inputs.github-token=${GH}", "GH=s3cr3t")
			.run((context) -> assertThat(
					context.getBean(McpStdioServers.class).server("x").definition().processSpec().env())
				.containsEntry("TOKEN", "s3cr3t"));
	}

	@Test
	void missingInputFailsNamingTheInputAndTheProperty() throws Exception {
		Path file = writeServer("{\"command\": \"sh\", \"env\": {\"TOKEN\": \"${input:github-token}\"}}");
		FailureAnalysis analysis = failure(List.of("mcp.stdio.config-file=" + file));
		assertThat(analysis.getDescription()).contains("MCP server 'x'", "${input:github-token}",
				"mcp.stdio.inputs.github-token is not set");
		assertThat(analysis.getAction()).contains("Set mcp.stdio.inputs.github-token");
	}

	@Test
	void unsetVariableFailsNamingIt() throws Exception {
		Path file = writeServer("{\"command\": \"sh\", \"args\": [\"--key=${env:MCP_TEST_UNSET_VARIABLE}\"]}");
		FailureAnalysis analysis = failure(List.of("mcp.stdio.config-file=" + file));
		assertThat(analysis.getDescription()).contains("MCP server 'x'", "MCP_TEST_UNSET_VARIABLE is not set");
		assertThat(analysis.getAction()).contains("Set MCP_TEST_UNSET_VARIABLE", "${MCP_TEST_UNSET_VARIABLE:-default}");
	}

	@Test
	void unsetVariableTakesItsDefaultInEitherSyntax() throws Exception {
		Path file = writeServer("{\"command\": \"sh\", \"args\": [\"${MCP_TEST_UNSET_A:-shell}\","
				+ " \"${env:MCP_TEST_UNSET_B:spring}\", \"${SET_ONE}\"]}");
		this.runner.withPropertyValues("mcp.stdio.config-file=" + file, "SET_ONE=set")
			.run((context) -> assertThat(
					context.getBean(McpStdioServers.class).server("x").definition().processSpec().command())
				.endsWith("shell", "spring", "set"));
	}

	@Test
	void skippedRemoteServerIsLoggedOnce(CapturedOutput output) throws Exception {
		Path file = Files.writeString(this.dir.resolve("mcp.json"),
				"{\"mcpServers\": {\"x\": {\"command\": \"sh\"}, \"remote\": {\"url\": \"https://example.invalid\"}}}");
		this.runner.withPropertyValues("mcp.stdio.config-file=" + file)
			.run((context) -> assertThat(context).hasNotFailed());
		assertThat(output.getOut().split("Skipping MCP server 'remote'", -1)).hasSize(2);
	}

	@Test
	void vsCodeSandboxIsImportedWithVsCodesDefaults() throws Exception {
		Path file = Files.writeString(this.dir.resolve("mcp.json"), """
				{"servers": {"x": {"type": "stdio", "command": "sh", "sandboxEnabled": true, "sandbox": {
				  "filesystem": {"allowWrite": ["${workspaceFolder}/out"], "denyRead": ["~/.ssh"]},
				  "network": {"allowedDomains": ["api.github.com"], "deniedDomains": ["*.internal.example.com"]}
				}}}}
				""");
		this.runner.withPropertyValues("mcp.stdio.config-file=" + file).run((context) -> {
			SandboxSettings sandbox = sandbox(context, "x");
			assertThat(sandbox.enabled()).isTrue();
			assertThat(sandbox.allowWrite()).containsExactly("~/.npm", this.dir.toRealPath() + "/out");
			assertThat(sandbox.denyRead()).containsExactly("~/.ssh");
			assertThat(sandbox.allowedDomains()).containsExactly("registry.npmjs.org", "api.github.com");
			assertThat(sandbox.deniedDomains()).containsExactly("*.internal.example.com");
		});
	}

	@Test
	void topLevelSandboxOfOlderVsCodeFilesServesEveryServerThatEnablesIt() throws Exception {
		Path file = Files.writeString(this.dir.resolve("mcp.json"), """
				{"sandbox": {"network": {"allowedDomains": ["*.github.com"]}},
				 "servers": {"on": {"command": "sh", "sandboxEnabled": true}, "off": {"command": "sh"}}}
				""");
		this.runner.withPropertyValues("mcp.stdio.config-file=" + file).run((context) -> {
			assertThat(sandbox(context, "on").allowedDomains()).containsExactly("registry.npmjs.org", "*.github.com");
			assertThat(sandbox(context, "off").enabled()).isFalse();
		});
	}

	@Test
	void unknownSandboxKeyFailsLikeAnyUnknownKey() throws Exception {
		Path file = writeServer("{\"command\": \"sh\", \"sandboxEnabled\": true,"
				+ " \"sandbox\": {\"filesystem\": {\"allowWrit\": [\"/data\"]}}}");
		FailureAnalysis analysis = failure(List.of("mcp.stdio.config-file=" + file));
		assertThat(analysis.getDescription()).contains("mcp.stdio.servers.x.sandbox.filesystem.allow-writ");
		assertThat(analysis.getAction()).contains("Did you mean mcp.stdio.servers.x.sandbox.filesystem.allow-write");
	}

	@Test
	void globInASandboxPathIsAWarning(CapturedOutput output) throws Exception {
		Path file = writeServer("{\"command\": \"sh\", \"sandboxEnabled\": true,"
				+ " \"sandbox\": {\"filesystem\": {\"denyRead\": [\"~/.ssh/*\"]}}}");
		this.runner.withPropertyValues("mcp.stdio.config-file=" + file)
			.run((context) -> assertThat(context).hasNotFailed());
		assertThat(output.getOut()).contains("sandbox filesystem.deny-read '~/.ssh/*' holds a glob");
	}

	@Test
	void configFileWritableByOthersFailsStartupNamingTheChmod() throws Exception {
		Path file = writeServer("{\"command\": \"sh\"}");
		Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-rw-"));
		Path real = file.toRealPath();
		FailureAnalysis analysis = failure(List.of("mcp.stdio.config-file=" + file));
		assertThat(analysis.getDescription()).contains("The MCP config-file '" + file
				+ "' may be changed by others than the application's user or root, yet the commands it names run"
				+ " as the application: file " + real + " (mode 0666, owner " + Files.getOwner(real).getName());
		assertThat(analysis.getAction()).startsWith("Run chmod go-w " + real + " (only the application's user or root")
			.endsWith("or point mcp.stdio.config-file at a file that only they may change.");
	}

	@Test
	void envFileWritableByOthersFailsStartupNamingTheServerAndTheChmod() throws Exception {
		Path env = Files.writeString(this.dir.resolve(".env"), "TOKEN=s3cr3t\n");
		Files.setPosixFilePermissions(env, PosixFilePermissions.fromString("rw-rw-r--"));
		Path file = writeServer("{\"command\": \"sh\", \"envFile\": \".env\"}");
		FailureAnalysis analysis = failure(List.of("mcp.stdio.config-file=" + file));
		assertThat(analysis.getDescription()).contains(
				"MCP server 'x' of config-file '" + file + "' names envFile '" + this.dir.resolve(".env")
						+ "', which may be changed by others",
				"file " + env.toRealPath() + " (mode 0664", ") is writable by its group");
		assertThat(analysis.getAction()).startsWith("Run chmod g-w " + env.toRealPath())
			.endsWith("or move the envFile where only they may change it.");
	}

	private static SandboxSettings sandbox(AssertableApplicationContext context, String name) {
		return context.getBean(McpStdioServers.class).server(name).definition().processSpec().confinement().sandbox();
	}

	private Path writeServer(String server) throws Exception {
		return Files.writeString(this.dir.resolve("mcp.json"), "{\"mcpServers\": {\"x\": " + server + "}}");
	}

	private FailureAnalysis failure(List<String> properties) {
		FailureAnalysis[] result = new FailureAnalysis[1];
		this.runner.withPropertyValues(properties.toArray(new String[0])).run((context) -> {
			assertThat(context).hasFailed();
			result[0] = new McpStdioConfigurationFailureAnalyzer().analyze(context.getStartupFailure());
		});
		assertThat(result[0]).isNotNull();
		return result[0];
	}

}
