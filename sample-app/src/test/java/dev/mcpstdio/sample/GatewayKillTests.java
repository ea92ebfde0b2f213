package dev.mcpstdio.sample;

import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A {@code kill -9} of an application whose gateway has sessions open, each with a
 * process of its own, and one on the shared process: none of those processes survives.
 */
class GatewayKillTests {

	@Test
	@EnabledOnOs(OS.LINUX)
	void killMinus9WithGatewaySessionsOpenLeavesNoProcess() throws Exception {
		try (SampleInstance application = SampleInstance.start("killed", SampleInstance.freePort(),
				UUID.randomUUID().toString())) {
			String marker = application.marker();
			GatewayHttp gateway = new GatewayHttp(application.port());
			await().atMost(Duration.ofSeconds(120)).ignoreExceptions().until(() -> gateway.initialize("demo") != null);
			for (int i = 0; i < 3; i++) {
				String session = gateway.initialize("demo-session");
				assertThat(gateway.call("demo-session", session, "add", "{\"a\":2,\"b\":3}").body()).contains("5");
			}
			// the application, three sessions' own processes, the shared one, stubborn
			// and its grandchild
			assertThat(Processes.with(marker)).hasSizeGreaterThanOrEqualTo(5);
			application.process().destroyForcibly().waitFor();
			await().atMost(Duration.ofSeconds(30)).until(() -> Processes.with(marker).isEmpty());
		}
	}

}
