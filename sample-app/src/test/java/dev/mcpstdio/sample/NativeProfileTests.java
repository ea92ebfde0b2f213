package dev.mcpstdio.sample;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The profile a native image of the sample runs with, on the JVM: its servers are its own
 * executable given {@code --mcp-server}, here a script that runs the sample's main class
 * as the native executable would run itself.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@ActiveProfiles("native")
class NativeProfileTests {

	private static final JsonMapper json = JsonMapper.builder().build();

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
	@SuppressWarnings("unchecked")
	void serversAreTheExecutableItselfAndAnswer() throws Exception {
		Map<String, List<Map<String, String>>> tools = json.readValue(get("/tools").body(), Map.class);
		assertThat(tools.get("demo")).extracting((tool) -> tool.get("name"))
			.containsExactly("echo", "add", "current_time", "slow");
		assertThat(tools.get("stubborn")).extracting((tool) -> tool.get("name")).containsExactly("stubborn_ping");
		assertThat(post("/tools/demo/add", "{\"a\": 2, \"b\": 3}").body()).contains("\"result\":\"5\"");
		assertThat(post("/tools/demo-session/echo", "{\"text\": \"own process\"}").body())
			.contains("\"result\":\"own process\"");
	}

	private HttpResponse<String> get(String path) throws Exception {
		return SampleHttp.get(this.port, path);
	}

	private HttpResponse<String> post(String path, String body) throws Exception {
		return SampleHttp.post(this.port, path, body);
	}

}
