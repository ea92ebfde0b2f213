package dev.mcpstdio.process;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class CommandResolverTests {

	@TempDir
	Path dir;

	@Test
	void resolveFindsNameOnPath() throws Exception {
		Path tool = executable(this.dir.resolve("bin/my-tool"));
		CommandResolver resolver = new CommandResolver(Map.of("PATH", "/nonexistent:" + tool.getParent()));
		assertThat(resolver.resolve("my-tool", null)).contains(tool);
	}

	@Test
	void resolveOfMissingCommandIsEmpty() {
		CommandResolver resolver = new CommandResolver(Map.of("PATH", this.dir.toString()));
		assertThat(resolver.resolve("no-such-tool", null)).isEmpty();
	}

	@Test
	void resolveOfFileThatIsNotExecutableIsEmpty() throws Exception {
		Path file = Files.writeString(this.dir.resolve("plain"), "data");
		CommandResolver resolver = new CommandResolver(Map.of("PATH", this.dir.toString()));
		assertThat(resolver.resolve("plain", null)).isEmpty();
		assertThat(resolver.resolve(file.toString(), null)).isEmpty();
	}

	@Test
	void resolveOfRelativePathUsesWorkingDirectory() throws Exception {
		Path tool = executable(this.dir.resolve("scripts/run"));
		CommandResolver resolver = new CommandResolver(Map.of());
		assertThat(resolver.resolve("scripts/run", this.dir)).contains(tool);
	}

	@Test
	void resolveWithoutPathFindsOnlyPaths() {
		CommandResolver resolver = new CommandResolver(Map.of());
		assertThat(resolver.resolve("sh", null)).isEmpty();
		assertThat(resolver.resolve("/bin/sh", null)).isPresent();
	}

	private static Path executable(Path path) throws Exception {
		Files.createDirectories(path.getParent());
		Files.writeString(path, "#!/bin/sh\n");
		Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwxr-xr-x"));
		return path;
	}

}
