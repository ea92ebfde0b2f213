package dev.mcpstdio.process.container;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import dev.mcpstdio.process.ProcessLaunchException;
import dev.mcpstdio.process.ProcessLauncher;
import dev.mcpstdio.process.ProcessSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * What a container command's launch leaves when it cannot start.
 */
class ContainerLauncherTests {

	@TempDir
	Path ledger;

	@Test
	void engineThatIsNotInstalledFailsTheLaunchNamingTheServerAndLeavesNoCidFile() throws IOException {
		ProcessLauncher launcher = new ProcessLauncher(new ProcessLauncher.Options(false, false, false, this.ledger));
		List<Path> before = cidDirectories();
		ProcessSpec spec = ProcessSpec.command("boxed", "/nonexistent/bin/docker", List.of("run", "-i", "img")).build();
		assertThatExceptionOfType(ProcessLaunchException.class).isThrownBy(() -> launcher.launch(spec))
			.withMessageContaining("MCP server 'boxed'");
		assertThat(cidDirectories()).isSubsetOf(before);
	}

	private static List<Path> cidDirectories() throws IOException {
		try (Stream<Path> files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
			return files.filter((file) -> file.getFileName().toString().startsWith("mcp-stdio-container-")).toList();
		}
	}

}
