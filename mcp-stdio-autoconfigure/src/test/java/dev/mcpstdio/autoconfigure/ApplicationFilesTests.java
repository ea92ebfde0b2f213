package dev.mcpstdio.autoconfigure;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

class ApplicationFilesTests {

	private static final String HERE = Path.of(System.getProperty("user.dir")).toAbsolutePath().toString();

	@TempDir
	Path dir;

	@Test
	void bootsDefaultLocationsAndTheConfigFileAreTheApplicationsFiles() throws Exception {
		Path file = Files.writeString(this.dir.resolve("mcp.json"), "{}");
		assertThat(ApplicationFiles.of(new MockEnvironment(), new DefaultResourceLoader(), file.toString()))
			.containsExactly(file.toString(), HERE + "/config", HERE + "/application*.properties",
					HERE + "/application*.yml", HERE + "/application*.yaml");
	}

	@Test
	void locationsTheApplicationNamesAreItsFilesButThoseOnTheClassPath() {
		MockEnvironment environment = new MockEnvironment()
			.withProperty("spring.config.location", "optional:file:/etc/app/,classpath:/defaults/")
			.withProperty("spring.config.additional-location", "file:./extra.yml, conf/[.properties]")
			.withProperty("spring.config.import", "optional:configtree:/run/secrets/,vault://x,/srv/more.yml");
		assertThat(ApplicationFiles.of(environment, new DefaultResourceLoader(), null))
			.contains("/etc/app", HERE + "/extra.yml", HERE + "/conf", "/run/secrets", "/srv/more.yml")
			.noneMatch((path) -> path.contains("defaults") || path.contains("vault"));
	}

	@Test
	void configFileOnTheClassPathIsOneWhereItIsAFile() {
		assertThat(ApplicationFiles.of(new MockEnvironment(), new DefaultResourceLoader(), "classpath:nothing.json"))
			.noneMatch((path) -> path.contains("nothing.json"));
	}

}
