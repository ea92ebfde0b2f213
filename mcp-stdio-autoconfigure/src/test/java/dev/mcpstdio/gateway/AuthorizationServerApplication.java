package dev.mcpstdio.gateway;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientCredentialsAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;

/**
 * A real authorization server for the gateway's authentication tests: Spring
 * Authorization Server as Boot configures it, on a port of 127.0.0.1, with
 * {@code client_credentials} clients {@code alice} (scopes
 * {@code tools admin mcp.browser}) and {@code bob} (scope {@code tools}); the RFC 8707
 * {@code resource} parameter of a token request becomes the token's audience.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
class AuthorizationServerApplication {

	/** The secret of every client: the client's name and "-secret". */
	static final String SECRET = "-secret";

	/** Makes the token request's resource parameter the token's audience. */
	@Bean
	OAuth2TokenCustomizer<JwtEncodingContext> audienceFromResource() {
		return (context) -> {
			if (context.getAuthorizationGrant() instanceof OAuth2ClientCredentialsAuthenticationToken grant
					&& grant.getAdditionalParameters().get("resource") instanceof String resource) {
				context.getClaims().audience(List.of(resource));
			}
		};
	}

	/** Starts it: its issuer is {@code http://localhost:PORT}. */
	static ConfigurableApplicationContext start() {
		int port = freePort();
		List<String> properties = new ArrayList<>(List.of("server.port=" + port, "server.address=127.0.0.1",
				"spring.main.banner-mode=off", "management.otlp.metrics.export.enabled=false",
				"spring.security.oauth2.authorizationserver.issuer=http://localhost:" + port));
		client(properties, "alice", "tools,admin,mcp.browser");
		client(properties, "bob", "tools");
		return new SpringApplicationBuilder(AuthorizationServerApplication.class)
			.properties(properties.toArray(String[]::new))
			.run();
	}

	private static void client(List<String> properties, String name, String scopes) {
		String prefix = "spring.security.oauth2.authorizationserver.client." + name + ".registration.";
		properties.add(prefix + "client-id=" + name);
		properties.add(prefix + "client-secret={noop}" + name + SECRET);
		properties.add(prefix + "client-authentication-methods=client_secret_basic");
		properties.add(prefix + "authorization-grant-types=client_credentials");
		properties.add(prefix + "scopes=" + scopes);
	}

	static String issuer(ConfigurableApplicationContext context) {
		return "http://localhost:" + context.getEnvironment().getProperty("local.server.port");
	}

	/**
	 * A token of the client's, by {@code client_credentials}.
	 * @param issuer the authorization server
	 * @param client alice or bob
	 * @param resource the resource the token is for (its audience)
	 * @param scope the scopes asked, space separated
	 */
	static String token(String issuer, String client, String resource, String scope) throws Exception {
		String form = "grant_type=client_credentials&scope=" + URLEncoder.encode(scope, StandardCharsets.UTF_8)
				+ "&resource=" + URLEncoder.encode(resource, StandardCharsets.UTF_8);
		String basic = Base64.getEncoder()
			.encodeToString((client + ":" + client + SECRET).getBytes(StandardCharsets.UTF_8));
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create(issuer + "/oauth2/token"))
				.header("Authorization", "Basic " + basic)
				.header("Content-Type", "application/x-www-form-urlencoded")
				.POST(HttpRequest.BodyPublishers.ofString(form))
				.build(), HttpResponse.BodyHandlers.ofString());
		if (response.statusCode() != 200) {
			throw new AssertionError("token for " + client + ": " + response.statusCode() + " " + response.body());
		}
		return String.valueOf(McpHttpClient.json.readValue(response.body(), Map.class).get("access_token"));
	}

	/**
	 * A port free on the machine now, for an application whose URL must be known first.
	 */
	static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
