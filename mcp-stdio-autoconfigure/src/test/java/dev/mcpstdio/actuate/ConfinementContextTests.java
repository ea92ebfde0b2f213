package dev.mcpstdio.actuate;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import dev.mcpstdio.autoconfigure.McpStdioAutoConfiguration;
import dev.mcpstdio.fixture.Probe;
import dev.mcpstdio.fixture.Sandboxes;
import dev.mcpstdio.server.McpStdioServers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Confinement as a user configures it, in a real Spring context: properties and a VS Code
 * file with {@code sandboxEnabled}, a probe server that tries what it may not, and what
 * health and the endpoint show.
 */
@EnabledOnOs(OS.LINUX)
class ConfinementContextTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(McpStdioAutoConfiguration.class));

	@TempDir
	Path dir;

	@Test
	void sandboxFromPropertiesConfinesTheServerAndHealthAndTheEndpointShowIt() throws Exception {
		Sandboxes.assumeAvailable();
		Path out = Sandboxes.writableBySandbox(List.of(this.dir), Files.createDirectories(this.dir.resolve("out")));
		String probe = Probe.python("p").build().command().get(1);
		this.runner
			.withPropertyValues("mcp.stdio.servers.probe.command=/usr/bin/python3",
					"mcp.stdio.servers.probe.args[0]=" + probe, "mcp.stdio.servers.probe.sandbox.enabled=true",
					"mcp.stdio.servers.probe.sandbox.filesystem.allow-write[0]=" + out,
					"mcp.stdio.servers.probe.limits.open-files=64")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				McpStdioServers servers = context.getBean(McpStdioServers.class);
				assertThat(Probe.call(servers.client("probe"), "write", Map.of("path", "/etc/mcp-stdio-probe")))
					.contains("Read-only file system");
				assertThat(Probe.call(servers.client("probe"), "write", Map.of("path", out + "/f")))
					.startsWith("ok wrote");
				Health health = new McpStdioServerHealthIndicator(servers.server("probe")).health(true);
				assertThat(health.getDetails()).containsEntry("sandbox", "bubblewrap");
				@SuppressWarnings("unchecked")
				Map<String, Object> configuration = (Map<String, Object>) new McpStdioEndpoint(servers).server("probe")
					.get("configuration");
				@SuppressWarnings("unchecked")
				Map<String, Object> confinement = (Map<String, Object>) configuration.get("confinement");
				assertThat(confinement).containsEntry("noNewPrivileges", true);
				assertThat(confinement.get("sandbox").toString()).contains("allowWrite=[" + out + "]",
						"allowedDomains=[]", "hostNetwork=false", "allowUnixSockets=[]");
				@SuppressWarnings("unchecked")
				Map<String, Object> sandbox = (Map<String, Object>) confinement.get("sandbox");
				String here = Path.of(System.getProperty("user.dir")).toAbsolutePath().toString();
				assertThat(sandbox.get("hidden").toString()).contains("~/.ssh", "~/.aws", "~/.kube", "~/.npmrc",
						here + "/config", here + "/application*.yml");
				assertThat(sandbox.get("neverWritable").toString()).contains(here + "/config");
				assertThat(confinement.get("limits").toString()).contains("openFiles=64");
			});
	}

	@Test
	void vsCodeFileWithSandboxEnabledConfinesItsServer() throws Exception {
		Sandboxes.assumeAvailable();
		String probe = Probe.python("p").build().command().get(1);
		Path file = Files.writeString(this.dir.resolve("mcp.json"), """
				{
				  "servers": {
				    "probe": {
				      "type": "stdio", "command": "/usr/bin/python3", "args": ["%s"],
				      "sandboxEnabled": true,
				      "sandbox": {"filesystem": {"allowWrite": ["${workspaceFolder}/out"]}}
				    }
				  }
				}
				""".formatted(probe));
		Sandboxes.writableBySandbox(List.of(this.dir), Files.createDirectories(this.dir.resolve("out")));
		this.runner.withPropertyValues("mcp.stdio.config-file=" + file).run((context) -> {
			assertThat(context).hasNotFailed();
			McpStdioServers servers = context.getBean(McpStdioServers.class);
			assertThat(servers.server("probe").status().sandbox()).isEqualTo("bubblewrap");
			assertThat(Probe.call(servers.client("probe"), "write", Map.of("path", "/etc/mcp-stdio-probe")))
				.contains("Read-only file system");
			assertThat(Probe.call(servers.client("probe"), "write",
					Map.of("path", this.dir.resolve("out").resolve("f").toString())))
				.startsWith("ok wrote");
			assertThat(Probe.call(servers.client("probe"), "connect", Map.of("host", "192.0.2.1", "port", 80)))
				.startsWith("error");
			assertThat(List
				.of(servers.server("probe").definition().processSpec().confinement().sandbox().allowedDomains()))
				.containsExactly(List.of("registry.npmjs.org"));
		});
	}

	@Test
	void sandboxedServerCannotReadNorEditTheConfigFileThatReloadsEvenWhereItMayWriteItsDirectory() throws Exception {
		Sandboxes.assumeAvailable();
		String probe = Probe.python("p").build().command().get(1);
		// outside /tmp (which the sandbox replaces), in a directory anyone may write,
		// sticky
		// as /tmp is, so that the config-file's own checks pass
		Path place = Files.createDirectories(Path.of("/var/tmp", "mcp-stdio-config-" + ProcessHandle.current().pid()));
		Files.setPosixFilePermissions(place, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
		Files.setAttribute(place, "unix:mode", 01777);
		Path file = place.resolve("mcp.json");
		String json = """
				{"mcpServers": {"probe": {"command": "/usr/bin/python3", "args": ["%s"]}}}
				""".formatted(probe);
		Files.writeString(file, json);
		try {
			this.runner
				.withPropertyValues("mcp.stdio.config-file=" + file, "mcp.stdio.config-file-reload=true",
						"mcp.stdio.defaults.sandbox.enabled=true",
						"mcp.stdio.defaults.sandbox.filesystem.allow-write[0]=" + place)
				.run((context) -> {
					assertThat(context).hasNotFailed();
					McpStdioServers servers = context.getBean(McpStdioServers.class);
					assertThat(Probe.call(servers.client("probe"), "write", Map.of("path", place + "/other")))
						.startsWith("ok wrote");
					assertThat(Probe.call(servers.client("probe"), "read", Map.of("path", file.toString())))
						.startsWith("error");
					assertThat(Probe.call(servers.client("probe"), "write", Map.of("path", file.toString())))
						.startsWith("error");
					assertThat(Probe.call(servers.client("probe"), "rename",
							Map.of("from", place + "/other", "to", file.toString())))
						.startsWith("error");
					assertThat(file).hasContent(json.strip());
				});
		}
		finally {
			Files.deleteIfExists(place.resolve("other"));
			Files.deleteIfExists(file);
			Files.deleteIfExists(place);
		}
	}

}
