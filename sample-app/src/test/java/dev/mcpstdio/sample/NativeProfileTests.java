package dev.mcpstdio.sample;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The profile a native image of the sample runs with, on the JVM: its servers are its own
 * executable given {@code --mcp-server}, here a script that runs the sample's main class
 * as the native executable would run itself.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@ActiveProfiles("native")
class NativeProfileTests {

	@LocalServerPort
	int port;

	@DynamicPropertySource
	static void executable(DynamicPropertyRegistry registry) throws IOException {
		Path script = Files.createTempFile("mcp-stdio-sample-", ".sh",
				PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
		script.toFile().deleteOnExit();
		Files.writeString(script, "#!/bin/sh\nexec '" + Path.of(System.getProperty("java.home"), "bin", "java")
				+ "' -Xmx64m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -cp '" + System.getProperty("java.class.path")
				+ "' " + SampleApplication.class.getName() + " \"$@\"\n");
		registry.add(SampleApplication.EXECUTABLE_PROPERTY, script::toString);
	}

	@Test
	void serversAreTheExecutableItselfAndAnswer() throws Exception {
		SampleHttp.assertToolsListed(this.port);
		SampleHttp.assertToolsAnswer(this.port);
	}

}
