package dev.mcpstdio.process;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class JavaCommandTests {

	@TempDir
	Path dir;

	@Test
	void mainClassRunsWithThisJvmAndItsClassPath() {
		List<String> line = JavaCommand.mainClass("com.example.Server", List.of("-Xmx64m")).commandLine();
		assertThat(line).containsExactly(JavaCommand.javaExecutable(), "-Xmx64m", "-cp",
				System.getProperty("java.class.path"), "com.example.Server");
	}

	@Test
	void jarRunsWithDashJar() {
		List<String> line = JavaCommand.jar(Path.of("/opt/server.jar"), List.of()).commandLine();
		assertThat(line).containsExactly(JavaCommand.javaExecutable(), "-jar", "/opt/server.jar");
	}

	@Test
	void springBootExecutableJarIsRecognizedByItsLauncher() throws Exception {
		assertThat(JavaCommand.isSpringBootJar(jar("boot.jar", "org.springframework.boot.loader.launch.JarLauncher")))
			.isTrue();
		assertThat(JavaCommand.isSpringBootJar(jar("plain.jar", "com.example.Main"))).isFalse();
		assertThat(JavaCommand.isSpringBootJar(this.dir + "/a.jar" + java.io.File.pathSeparator + "b.jar")).isFalse();
	}

	private String jar(String name, String mainClass) throws Exception {
		Manifest manifest = new Manifest();
		manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
		manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, mainClass);
		Path jar = this.dir.resolve(name);
		try (OutputStream out = Files.newOutputStream(jar);
				JarOutputStream ignored = new JarOutputStream(out, manifest)) {
			// a manifest is all it needs
		}
		return jar.toString();
	}

}
