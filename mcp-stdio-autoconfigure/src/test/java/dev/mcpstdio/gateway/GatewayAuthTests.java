package dev.mcpstdio.gateway;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import dev.mcpstdio.gateway.McpHttpClient.Response;
import dev.mcpstdio.server.ProcessOverrides;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The gateway as an OAuth 2.1 resource server, against a real Spring Authorization
 * Server, over real HTTP: the challenge and its metadata, the audience, the scopes, the
 * caller's sessions, and the token that never reaches a process. The gateway serves
 * {@code own} (a process per session, which records all it reads), {@code shared} (which
 * needs the scope {@code admin}) and {@code mine} (a process per caller).
 */
class GatewayAuthTests {

	private static ConfigurableApplicationContext authorizationServer;

	private static ConfigurableApplicationContext gateway;

	private static String issuer;

	private static String origin;

	private static Path stdin;

	@BeforeAll
	static void start() throws Exception {
		authorizationServer = AuthorizationServerApplication.start();
		issuer = AuthorizationServerApplication.issuer(authorizationServer);
		int port = AuthorizationServerApplication.freePort();
		origin = "http://localhost:" + port;
		stdin = Files.createTempFile("gateway-auth-stdin", ".jsonl");
		List<String> properties = new ArrayList<>(
				GatewayTestApplication.fixture("own", "keep-alive=false", "args=--record-stdin=" + stdin));
		properties.addAll(GatewayTestApplication.fixture("shared"));
		properties.addAll(GatewayTestApplication.fixture("mine", "keep-alive=false"));
		properties.addAll(GatewayTestApplication.fixture("theirs", "keep-alive=false"));
		properties.addAll(List.of("server.port=" + port, "mcp.stdio.gateway.allow-unauthenticated=false",
				"mcp.stdio.gateway.auth=oauth2", "mcp.stdio.gateway.public-url=" + origin,
				"mcp.stdio.gateway.scopes.shared=admin", "mcp.stdio.gateway.max-sessions-per-subject=3",
				"mcp.stdio.gateway.process-per.mine=subject", "mcp.stdio.gateway.process-per.theirs=subject",
				"spring.security.oauth2.resourceserver.jwt.issuer-uri=" + issuer));
		gateway = GatewayTestApplication.start(properties, CallersOwn.class);
	}

	@AfterAll
	static void stop() throws Exception {
		if (gateway != null) {
			gateway.close();
		}
		if (authorizationServer != null) {
			authorizationServer.close();
		}
		Files.deleteIfExists(stdin);
	}

	private static McpHttpClient client(String server, String token) {
		return new McpHttpClient(GatewayTestApplication.port(gateway), server, token);
	}

	private static String token(String client, String server, String scope) throws Exception {
		return AuthorizationServerApplication.token(issuer, client, origin + "/mcp/" + server, scope);
	}

	@Test
	void withoutATokenTheAnswerIs401WithTheServersOwnMetadata() throws Exception {
		Response response = client("own", null).post(null, McpHttpClient.initialize(Map.of()));
		assertThat(response.status()).isEqualTo(401);
		assertThat(response.header("WWW-Authenticate")).startsWith("Bearer ")
			.contains("resource_metadata=\"" + origin + "/.well-known/oauth-protected-resource/mcp/own\"");
		assertThat(gateway.getBean(McpStdioGateway.class).sessionsByServer()).containsEntry("own", 0);
	}

	@Test
	@SuppressWarnings("unchecked")
	void eachServerHasItsMetadataDocumentWithItsCanonicalUriAndTheIssuer() throws Exception {
		Map<String, Object> own = client("own", null).getJson("/.well-known/oauth-protected-resource/mcp/own");
		assertThat(own).containsEntry("resource", origin + "/mcp/own")
			.containsEntry("authorization_servers", List.of(issuer))
			.doesNotContainKey("scopes_supported");
		Map<String, Object> shared = client("own", null).getJson("/.well-known/oauth-protected-resource/mcp/shared");
		assertThat(shared).containsEntry("resource", origin + "/mcp/shared")
			.containsEntry("scopes_supported", List.of("admin"));
		// the resource is public-url's, whatever Host the request named
		HttpResponse<String> spoofed = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + GatewayTestApplication.port(gateway)
					+ "/.well-known/oauth-protected-resource/mcp/own"))
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat((Map<String, Object>) McpHttpClient.json.readValue(spoofed.body(), Map.class))
			.containsEntry("resource", origin + "/mcp/own");
	}

	@Test
	void aTokenForAnotherResourceIs401() throws Exception {
		String forShared = token("alice", "shared", "tools admin");
		Response response = client("own", forShared).post(null, McpHttpClient.initialize(Map.of()));
		assertThat(response.status()).isEqualTo(401);
		assertThat(response.header("WWW-Authenticate")).contains("error=\"invalid_token\"")
			.contains("audience does not name " + origin + "/mcp/own");
	}

	@Test
	void aTokenWithoutTheServersScopeIs403NamingTheScope() throws Exception {
		Response response = client("shared", token("bob", "shared", "tools")).post(null,
				McpHttpClient.initialize(Map.of()));
		assertThat(response.status()).isEqualTo(403);
		assertThat(response.header("WWW-Authenticate")).startsWith("Bearer error=\"insufficient_scope\"")
			.contains("scope=\"admin\"")
			.contains("resource_metadata=\"" + origin + "/.well-known/oauth-protected-resource/mcp/shared\"");
		McpHttpClient alice = client("shared", token("alice", "shared", "tools admin"));
		String session = alice.open();
		assertThat(alice.callText(session, 1, "echo", Map.of("text", "admin"))).isEqualTo("admin");
		alice.delete(session);
	}

	@Test
	void aSessionIsItsCallersAloneAndTheTokenNeverReachesTheProcess() throws Exception {
		String aliceToken = token("alice", "own", "tools");
		McpHttpClient alice = client("own", aliceToken);
		McpHttpClient bob = client("own", token("bob", "own", "tools"));
		String session = alice.open();
		assertThat(alice.callText(session, 1, "echo", Map.of("text", "mine"))).isEqualTo("mine");
		assertThat(bob.post(session, McpHttpClient.call(2, "echo", Map.of("text", "stolen"))).status())
			.as("another subject's request with the session id")
			.isEqualTo(404);
		assertThat(bob.delete(session).status()).isEqualTo(404);
		assertThat(alice.callText(session, 3, "echo", Map.of("text", "still mine"))).isEqualTo("still mine");
		long pid = Long.parseLong(alice.callText(session, 4, "pid", Map.of()));
		String environment = Files.readString(Path.of("/proc/" + pid + "/environ"));
		String commandLine = Files.readString(Path.of("/proc/" + pid + "/cmdline"));
		String read = Files.readString(stdin);
		assertThat(read).contains("still mine").doesNotContain("stolen");
		assertThat(List.of(environment, commandLine, read))
			.allSatisfy((seen) -> assertThat(seen).doesNotContain(aliceToken)
				.doesNotContain(aliceToken.substring(aliceToken.lastIndexOf('.') + 1))
				.doesNotContainIgnoringCase("bearer"));
		alice.delete(session);
	}

	@Test
	void oneCallerHasAtMostMaxSessionsPerSubject() throws Exception {
		McpHttpClient bob = client("own", token("bob", "own", "tools"));
		List<String> sessions = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			sessions.add(bob.open());
		}
		Response refused = bob.post(null, McpHttpClient.initialize(Map.of()));
		assertThat(refused.status()).isEqualTo(429);
		assertThat(refused.body()).contains("max-sessions-per-subject 3");
		McpHttpClient alice = client("own", token("alice", "own", "tools"));
		String other = alice.open();
		assertThat(alice.callText(other, 1, "echo", Map.of("text", "not bob"))).isEqualTo("not bob");
		alice.delete(other);
		bob.delete(sessions.remove(0));
		sessions.add(bob.open());
		for (String session : sessions) {
			bob.delete(session);
		}
	}

	@Test
	void theApplicationsOtherPathsKeepBootsResourceServerChain() throws Exception {
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create(origin.replace("localhost", "127.0.0.1") + "/elsewhere")).build(),
					HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as("Boot's chain still guards what the gateway's does not").isEqualTo(401);
		assertThat(response.headers().firstValue("WWW-Authenticate"))
			.hasValueSatisfying((challenge) -> assertThat(challenge).startsWith("Bearer"));
	}

	@Test
	void processPerSubjectGivesEachCallerItsOwnProcessSharedByItsSessionsAndStoppedAfterTheLast() throws Exception {
		McpHttpClient alice = client("mine", token("alice", "mine", "tools"));
		McpHttpClient bob = client("mine", token("bob", "mine", "tools"));
		String first = alice.open();
		String second = alice.open();
		String bobs = bob.open();
		long alicePid = Long.parseLong(alice.callText(first, 1, "pid", Map.of()));
		assertThat(Long.parseLong(alice.callText(second, 1, "pid", Map.of()))).as("one caller, one process")
			.isEqualTo(alicePid);
		long bobPid = Long.parseLong(bob.callText(bobs, 1, "pid", Map.of()));
		assertThat(bobPid).as("another caller, another process").isNotEqualTo(alicePid);
		// the same ids from both of alice's sessions at once, on one process: never
		// crossed
		List<CompletableFuture<String>> answers = new ArrayList<>();
		for (int round = 0; round < 8; round++) {
			for (String session : List.of(first, second)) {
				String text = session + "-" + round;
				int id = 100 + round;
				answers.add(CompletableFuture.supplyAsync(() -> {
					try {
						return alice.callText(session, id, "echo", Map.of("text", text)).equals(text) ? "ok" : text;
					}
					catch (Exception ex) {
						throw new IllegalStateException(ex);
					}
				}));
			}
		}
		assertThat(answers).allSatisfy((answer) -> assertThat(answer.get()).isEqualTo("ok"));
		alice.delete(first);
		assertThat(alice.callText(second, 2, "pid", Map.of())).as("the caller's other session keeps the process")
			.isEqualTo(Long.toString(alicePid));
		alice.delete(second);
		await().atMost(Duration.ofSeconds(30)).until(() -> ProcessHandle.of(alicePid).isEmpty());
		assertThat(ProcessHandle.of(bobPid)).as("the other caller's process runs on").isPresent();
		assertThat(bob.callText(bobs, 2, "echo", Map.of("text", "still here"))).isEqualTo("still here");
		bob.delete(bobs);
		await().atMost(Duration.ofSeconds(30)).until(() -> ProcessHandle.of(bobPid).isEmpty());
	}

	@Test
	void theTypeScriptSdkClientFollowsTheChallengeToATokenAndCalls() throws Exception {
		ConformanceSetup setup = ConformanceSetup.install(false);
		setup.assumeInstalled();
		int sessions = gateway.getBean(McpStdioGateway.class).sessionsByServer().get("own");
		ConformanceSetup.Run run = ConformanceSetup.run(Duration.ofSeconds(60),
				Map.of("CONFORMANCE_DIR", setup.dir().toString()),
				ConformanceSetup.OUTPUT.resolve("ts-auth-client-own"),
				List.of(setup.node().toString(), setup.script("clients/ts-auth-client.mjs").toString(),
						origin + "/mcp/own", "alice", "alice" + AuthorizationServerApplication.SECRET));
		assertThat(run.stdout().lines()).as("ts-auth-client.mjs; %s", run.describe())
			.contains("echo: through OAuth", "token: YES", "done");
		assertThat(run.exit()).as("ts-auth-client.mjs; %s", run.describe()).isZero();
		assertThat(gateway.getBean(McpStdioGateway.class).sessionsByServer().get("own"))
			.as("sessions open after the client's DELETE")
			.isEqualTo(sessions);
	}

	@Test
	@SuppressWarnings("unchecked")
	void theGuidesOAuthConfigurationWorksAsPastedWithTheIssuerAndUrlOfTheTest() throws Exception {
		String guide = Files.readString(Path.of("..", "docs", "gateway.md"));
		String section = guide.substring(guide.indexOf("**With your authorization server**"));
		String yaml = section.substring(section.indexOf("```yaml\n") + 8, section.indexOf("```\n", 10));
		Path file = Files.createTempFile("gateway-guide", ".yml");
		Files.writeString(file, yaml);
		int port = AuthorizationServerApplication.freePort();
		String url = "http://localhost:" + port;
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(GatewayTestApplication.class)
			.properties("spring.config.additional-location=file:" + file, "spring.main.banner-mode=off",
					"management.otlp.metrics.export.enabled=false")
			.run("--server.port=" + port, "--mcp.stdio.gateway.public-url=" + url,
					"--spring.security.oauth2.resourceserver.jwt.issuer-uri=" + issuer)) {
			McpHttpClient anonymous = new McpHttpClient(port, "browser");
			assertThat(anonymous.post(null, McpHttpClient.call(1, "x", Map.of())).header("WWW-Authenticate"))
				.contains("resource_metadata=\"" + url + "/.well-known/oauth-protected-resource/mcp/browser\"");
			assertThat(anonymous.getJson("/.well-known/oauth-protected-resource/mcp/browser"))
				.containsEntry("scopes_supported", List.of("mcp.browser"))
				.containsEntry("authorization_servers", List.of(issuer));
			String resource = url + "/mcp/browser";
			McpHttpClient withoutScope = anonymous
				.withToken(AuthorizationServerApplication.token(issuer, "alice", resource, "tools"));
			assertThat(withoutScope.post(null, McpHttpClient.call(1, "x", Map.of())).status()).isEqualTo(403);
			McpHttpClient allowed = anonymous
				.withToken(AuthorizationServerApplication.token(issuer, "alice", resource, "mcp.browser"));
			assertThat(allowed.post(null, McpHttpClient.call(1, "x", Map.of())).status())
				.as("through: a call without a session is refused for that alone")
				.isEqualTo(400);
		}
		finally {
			Files.delete(file);
		}
	}

	@Test
	void pathsThatSpellAServerOtherwiseGetNothingPastItsScopeOrAudience() throws Exception {
		int port = GatewayTestApplication.port(gateway);
		String bobs = token("bob", "shared", "tools"); // without admin, which shared
														// needs
		for (String path : List.of("/mcp/shared/", "/mcp/shared;x=1", "/mcp/%73hared", "/mcp/./shared",
				"/mcp/own/../shared", "/mcp//shared", "/MCP/shared", "/mcp/shared%2F", "/mcp/shared?x=/mcp/own")) {
			String answer = RawHttp.post(port, path, "localhost", null, McpHttpClient.initialize(Map.of()),
					"Authorization", "Bearer " + bobs);
			assertThat(answer.substring(9, 12)).as("%s: %s", path, answer.lines().findFirst().orElse(""))
				.isIn("400", "401", "403", "404");
		}
		assertThat(gateway.getBean(McpStdioGateway.class).sessionsByServer()).containsEntry("shared", 0);
	}

	@Test
	void aTokenThatWasAlteredOrSentInTheQueryIsRefused() throws Exception {
		String valid = token("alice", "own", "tools");
		String[] parts = valid.split("\\.");
		String claims = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
		String forged = parts[0] + "." + Base64.getUrlEncoder()
			.withoutPadding()
			.encodeToString(claims.replace("\"sub\":\"alice\"", "\"sub\":\"bob\"").getBytes(StandardCharsets.UTF_8))
				+ "." + parts[2];
		assertThat(forged).isNotEqualTo(valid);
		Response altered = client("own", forged).post(null, McpHttpClient.initialize(Map.of()));
		assertThat(altered.status()).isEqualTo(401);
		assertThat(altered.header("WWW-Authenticate")).contains("invalid_token");
		String unsigned = Base64.getUrlEncoder()
			.withoutPadding()
			.encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8)) + "." + parts[1] + ".";
		assertThat(client("own", unsigned).post(null, McpHttpClient.initialize(Map.of())).status()).isEqualTo(401);
		HttpResponse<String> inQuery = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create(origin + "/mcp/own?access_token=" + valid))
				.header("Content-Type", "application/json")
				.header("Accept", "application/json, text/event-stream")
				.POST(HttpRequest.BodyPublishers
					.ofString(McpHttpClient.json.writeValueAsString(McpHttpClient.initialize(Map.of()))))
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(inQuery.statusCode()).as("a token in the URL is not taken (it ends up in logs)").isEqualTo(401);
	}

	@Test
	void aCallersOwnProcessGetsTheEnvAndDirectoryTheCustomizerGivesItAndNeverTheToken() throws Exception {
		String aliceToken = token("alice", "theirs", "tools");
		McpHttpClient alice = client("theirs", aliceToken);
		McpHttpClient bob = client("theirs", token("bob", "theirs", "tools"));
		String aliceSession = alice.open();
		String bobSession = bob.open();
		long alicePid = Long.parseLong(alice.callText(aliceSession, 1, "pid", Map.of()));
		long bobPid = Long.parseLong(bob.callText(bobSession, 1, "pid", Map.of()));
		assertThat(Files.readString(Path.of("/proc/" + alicePid + "/environ"))).contains("CALLER_CREDENTIAL=for-alice")
			.doesNotContain(aliceToken);
		assertThat(Files.readString(Path.of("/proc/" + bobPid + "/environ"))).contains("CALLER_CREDENTIAL=for-bob")
			.doesNotContain("for-alice");
		assertThat(Path.of("/proc/" + alicePid + "/cwd").toRealPath()).isEqualTo(CallersOwn.directory("alice"));
		assertThat(Path.of("/proc/" + bobPid + "/cwd").toRealPath()).isEqualTo(CallersOwn.directory("bob"));
		alice.delete(aliceSession);
		bob.delete(bobSession);
		await().atMost(Duration.ofSeconds(30))
			.until(() -> ProcessHandle.of(alicePid).isEmpty() && ProcessHandle.of(bobPid).isEmpty());
	}

	/** Each caller's process of theirs: its credential and its own directory. */
	@Configuration(proxyBeanMethods = false)
	static class CallersOwn {

		static Path directory(String subject) {
			try {
				return Files
					.createDirectories(Path.of(System.getProperty("java.io.tmpdir"), "gateway-callers", subject))
					.toRealPath();
			}
			catch (IOException ex) {
				throw new IllegalStateException(ex);
			}
		}

		@Bean
		SubjectProcessCustomizer callersOwn() {
			return (server, subject) -> "theirs".equals(server)
					? new ProcessOverrides(Map.of("CALLER_CREDENTIAL", "for-" + subject.getName()),
							directory(subject.getName()))
					: ProcessOverrides.NONE;
		}

	}

}
