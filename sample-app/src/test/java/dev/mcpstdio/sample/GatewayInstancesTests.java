package dev.mcpstdio.sample;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.opentest4j.TestAbortedException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two instances of the sample behind nginx, configured by the file docs/gateway.md shows:
 * sessions reach the instance that owns them, a lost owner is a 404 and the client
 * initializes on the other, and an instance that is sent SIGTERM drains: its calls in
 * flight finish while new sessions go to the other.
 */
@EnabledOnOs(OS.LINUX)
class GatewayInstancesTests {

	private final List<AutoCloseable> started = new ArrayList<>();

	@Test
	void sessionsFindTheirOwnerThroughNginxALostOwnerIs404AndSigtermDrains() throws Exception {
		Path nginx = nginx();
		String run = UUID.randomUUID().toString();
		int[] ports = { SampleInstance.freePort(), SampleInstance.freePort(), SampleInstance.freePort() };
		List<Long> nginxPids = new ArrayList<>();
		try {
			SampleInstance zero = started(SampleInstance.start("mcp-gateway-0", ports[1], run));
			SampleInstance one = started(SampleInstance.start("mcp-gateway-1", ports[2], run));
			NginxProxy nginxProxy = started(NginxProxy.start(nginx, ports[0], ports[1], ports[2]));
			nginxPids.addAll(nginxProxy.pids());
			GatewayHttp proxy = new GatewayHttp(nginxProxy.port());
			zero.awaitReady();
			one.awaitReady();

			// 20 sessions through nginx, round robin over both; one in five with a
			// process of its own
			Map<String, String> sessions = new LinkedHashMap<>();
			for (int i = 0; i < 20; i++) {
				String server = (i % 5 == 0) ? "demo-session" : "demo";
				sessions.put(proxy.initialize(server), server);
			}
			assertThat(owned(sessions, zero)).hasSizeGreaterThanOrEqualTo(5);
			assertThat(owned(sessions, one)).hasSizeGreaterThanOrEqualTo(5);
			for (int round = 0; round < 3; round++) {
				for (Map.Entry<String, String> session : sessions.entrySet()) {
					assertEchoes(proxy, session.getValue(), session.getKey(), round);
				}
			}
			// every request of a session reached its owner, at the first try
			for (String line : nginxProxy.accessLog()) {
				String[] fields = line.split(" ");
				String session = fields[1].replace("\"", "");
				if (!session.equals("-")) {
					int owner = session.startsWith("mcp-gateway-0.") ? zero.port() : one.port();
					assertThat(fields[2]).as(line).isEqualTo("\"127.0.0.1:" + owner + "\"");
				}
			}
			assertThat(zero.gateway().get("sessions")).isEqualTo(owned(sessions, zero).size());
			assertThat(one.gateway().get("sessions")).isEqualTo(owned(sessions, one).size());

			// kill -9 of mcp-gateway-0: its sessions get 404 at once through nginx and
			// initialize on the other
			String watched = owned(sessions, one).get(0);
			CompletableFuture<Void> stream = proxy.openStream(sessions.get(watched), watched);
			zero.process().destroyForcibly().waitFor();
			for (String session : owned(sessions, zero)) {
				long start = System.nanoTime();
				HttpResponse<String> lost = echo(proxy, sessions.get(session), session, "lost");
				long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
				assertThat(lost.statusCode()).as(lost.body()).isEqualTo(404);
				assertThat(millis).as("the 404 for a session of the lost owner").isLessThan(1000);
				String server = sessions.remove(session);
				String again = proxy.initialize(server);
				assertThat(again).startsWith("mcp-gateway-1.");
				sessions.put(again, server);
			}
			// the other instance's sessions never noticed: calls answered, a GET stream
			// open
			for (Map.Entry<String, String> session : sessions.entrySet()) {
				assertEchoes(proxy, session.getValue(), session.getKey(), 3);
			}
			assertThat(stream).as("a GET stream of mcp-gateway-1's, through nginx").isNotDone();
			await().atMost(Duration.ofSeconds(30)).until(() -> Processes.with(zero.marker()).isEmpty());

			// mcp-gateway-0 again, and nginx sending it new sessions again
			SampleInstance restarted = started(SampleInstance.start("mcp-gateway-0", ports[1], run)).awaitReady();
			await().atMost(Duration.ofSeconds(30)).until(() -> {
				String session = proxy.initialize("demo");
				sessions.put(session, "demo");
				return session.startsWith("mcp-gateway-0.");
			});

			// SIGTERM of mcp-gateway-1 with calls in flight
			List<String> busy = owned(sessions, one).subList(0, 4);
			List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
			for (String session : busy) {
				calls.add(CompletableFuture.supplyAsync(() -> slow(proxy, sessions.get(session), session)));
			}
			await().atMost(Duration.ofSeconds(20)).until(() -> one.gateway().get("requestsInFlight").equals(4));
			one.process().destroy();
			await().atMost(Duration.ofSeconds(20)).until(() -> one.readiness() == 503);
			for (int i = 0; i < 4; i++) {
				assertThat(proxy.initialize("demo")).as("a new session while mcp-gateway-1 drains")
					.startsWith("mcp-gateway-0.");
			}
			for (CompletableFuture<HttpResponse<String>> call : calls) {
				HttpResponse<String> answered = call.get(60, TimeUnit.SECONDS);
				assertThat(answered.statusCode()).isEqualTo(200);
				assertThat(answered.body()).as("a call in flight at SIGTERM").contains("waited 3000 ms");
			}
			assertThat(one.process().waitFor(60, TimeUnit.SECONDS)).as("mcp-gateway-1 exited").isTrue();
			await().atMost(Duration.ofSeconds(30)).until(() -> Processes.with(one.marker()).isEmpty());
			assertThat(echo(proxy, "demo", busy.get(0), "drained").statusCode()).isEqualTo(404);
			for (String session : owned(sessions, restarted)) {
				assertEchoes(proxy, sessions.get(session), session, 4);
			}
		}
		finally {
			for (int i = this.started.size() - 1; i >= 0; i--) {
				this.started.get(i).close();
			}
		}
		// nothing left on the machine: no instance, none of their processes, no nginx
		await().atMost(Duration.ofSeconds(30)).until(() -> Processes.with(run).isEmpty());
		assertThat(nginxPids).allSatisfy((pid) -> assertThat(ProcessHandle.of(pid)).isEmpty());
	}

	@Test
	void theGatewayGuideShowsTheNginxConfigurationThisTestRuns() throws Exception {
		String guide = Files.readString(Path.of("..", "docs", "gateway.md"));
		assertThat(guide).contains("```nginx\n" + Files.readString(NginxProxy.CONFIG).strip() + "\n```\n");
	}

	private static Path nginx() {
		Path nginx = NginxProxy.executable();
		if (nginx == null) {
			String why = "nginx is not installed (apt-get install nginx-light): the test of two instances behind it"
					+ " cannot run";
			if ("true".equals(System.getenv("CI"))) {
				throw new AssertionError(why);
			}
			throw new TestAbortedException(why);
		}
		return nginx;
	}

	private <T extends AutoCloseable> T started(T closeable) {
		this.started.add(closeable);
		return closeable;
	}

	/** The sessions whose ids name the instance. */
	private static List<String> owned(Map<String, String> sessions, SampleInstance instance) {
		return sessions.keySet().stream().filter((id) -> id.startsWith(instance.id() + ".")).toList();
	}

	private static void assertEchoes(GatewayHttp proxy, String server, String session, int round) throws Exception {
		String text = session + "/" + round;
		HttpResponse<String> response = echo(proxy, server, session, text);
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		assertThat(response.body()).contains(text);
	}

	private static HttpResponse<String> echo(GatewayHttp proxy, String server, String session, String text)
			throws Exception {
		return proxy.call(server, session, "echo", "{\"text\":\"" + text + "\"}");
	}

	private static HttpResponse<String> slow(GatewayHttp proxy, String server, String session) {
		try {
			return proxy.call(server, session, "slow", "{\"seconds\":3}");
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

}
