package dev.mcpstdio.autoconfigure;

import java.nio.file.Path;
import java.util.List;

import dev.mcpstdio.fixture.Sandboxes;
import dev.mcpstdio.process.ProcessSpec;
import dev.mcpstdio.process.sandbox.SandboxSettings;
import dev.mcpstdio.server.ServerDefinition;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class NestedWritablePathsTests {

	@Test
	void serverThatMayWriteTheDirectoryOfAnothersWritablePathIsNamedWithIt() {
		ServerDefinition outer = sandboxed("outer", null, List.of("/srv/shared"));
		ServerDefinition inner = sandboxed("inner", Path.of("/srv/shared/inner"), List.of("cache"));
		ServerDefinition apart = sandboxed("apart", null, List.of("/srv/apart", "/srv/shared"));
		assertThat(NestedWritablePaths.of(List.of(outer, inner, apart))).containsExactlyInAnyOrder(
				"'outer' may write /srv/shared, which holds 'inner''s /srv/shared/inner",
				"'outer' may write /srv/shared, which holds 'inner''s /srv/shared/inner/cache",
				"'apart' may write /srv/shared, which holds 'inner''s /srv/shared/inner",
				"'apart' may write /srv/shared, which holds 'inner''s /srv/shared/inner/cache");
	}

	@Test
	void unsandboxedServersAndEqualPathsAreNotNested() {
		ServerDefinition one = sandboxed("one", null, List.of("/srv/shared"));
		ServerDefinition two = sandboxed("two", null, List.of("/srv/shared"));
		ServerDefinition open = ServerDefinition
			.builder(ProcessSpec.command("open", "/bin/true", List.of())
				.workingDirectory(Path.of("/srv/shared/open"))
				.build())
			.build();
		assertThat(NestedWritablePaths.of(List.of(one, two, open))).isEmpty();
	}

	private static ServerDefinition sandboxed(String name, Path workingDirectory, List<String> allowWrite) {
		SandboxSettings sandbox = Sandboxes.sandbox(allowWrite, List.of(), List.of(), List.of());
		ProcessSpec.Builder spec = ProcessSpec.command(name, "/bin/true", List.of())
			.confinement(Sandboxes.confined(sandbox));
		if (workingDirectory != null) {
			spec.workingDirectory(workingDirectory);
		}
		return ServerDefinition.builder(spec.build()).build();
	}

}
