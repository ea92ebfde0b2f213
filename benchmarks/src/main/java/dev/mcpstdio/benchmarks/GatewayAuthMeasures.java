package dev.mcpstdio.benchmarks;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * 23: what the gateway's authentication adds to a call. The round trip of row 20 (one
 * session on the Java fixture's shared keep-alive process, sequential echo, through
 * {@link HttpMcpClient}) through three gateways side by side in this JVM, each an
 * application of its own on 127.0.0.1 with its own fixture process, in alternating
 * rounds: {@code auth: oauth2}, the caller's bearer JWT checked on every request by
 * Spring Security's resource server (the signature with the public key of a
 * {@link TokenSigner}, the expiry, then the audience); {@code allow-unauthenticated}
 * through Spring Security's filters (the gateway's chain, which permits every request);
 * and {@code allow-unauthenticated} without Spring Security, as rows 20-22 run it.
 */
final class GatewayAuthMeasures {

	/**
	 * The origin the gateway's resources are named by: their tokens' audience, never a
	 * host that is called.
	 */
	static final String PUBLIC_URL = "https://gateway.benchmarks.invalid";

	private static final String SERVER = "shared";

	private final Benchmarks.Settings http;

	private final List<Row> rows;

	private final String mark = "--mark=gateway-auth-" + System.nanoTime();

	GatewayAuthMeasures(Benchmarks.Settings settings, List<Row> rows) {
		this.http = GatewayMeasures.http(settings);
		this.rows = rows;
	}

	/**
	 * 23: sequential echo round trips with a bearer JWT, without authentication through
	 * Spring Security, and without Spring Security; 4 rounds in which each goes first in
	 * turn. Before them, a session without the token must be refused (401).
	 */
	void roundTrip() throws Exception {
		List<ConfigurableApplicationContext> contexts = new ArrayList<>();
		try (TokenSigner signer = TokenSigner.generate()) {
			ConfigurableApplicationContext jwt = start(contexts, "jwt", "mcp.stdio.gateway.auth=oauth2",
					"mcp.stdio.gateway.public-url=" + PUBLIC_URL,
					"spring.security.oauth2.resourceserver.jwt.public-key-location=" + signer.publicKeyLocation());
			ConfigurableApplicationContext permitted = start(contexts, "permitted",
					"mcp.stdio.gateway.allow-unauthenticated=true");
			ConfigurableApplicationContext plain = start(contexts, "plain",
					"mcp.stdio.gateway.allow-unauthenticated=true", GatewayMeasures.WITHOUT_SPRING_SECURITY);
			String token = signer.token("benchmarks", PUBLIC_URL + "/mcp/" + SERVER, "tools", Duration.ofHours(1));
			String refused = refusedWithoutToken(uri(jwt));
			List<HttpMcpClient.Session> sessions = List.of(new HttpMcpClient(uri(jwt), token).open(),
					new HttpMcpClient(uri(permitted)).open(), new HttpMcpClient(uri(plain)).open());
			List<List<long[]>> samples = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
			for (int round = 0; round < 4; round++) {
				// each goes first in turn, so that none profits from the others' warm-up
				for (int i = 0; i < 3; i++) {
					HttpMcpClient.Session session = sessions.get((round + i) % 3);
					samples.get((round + i) % 3).add(Benchmarks.sample(this.http, () -> session.echo("x")));
				}
			}
			for (HttpMcpClient.Session session : sessions) {
				session.close();
			}
			long[] withJwt = Benchmarks.merge(samples.get(0));
			long[] chain = Benchmarks.merge(samples.get(1));
			long[] none = Benchmarks.merge(samples.get(2));
			this.rows.add(new Row(
					"23. round trip over Streamable HTTP with a bearer JWT vs without authentication, p50 / p99"
							+ " (sequential echo, one session)",
					"JWT checked (auth: oauth2, RS256, public key): " + GatewayMeasures.micros(withJwt)
							+ "; allow-unauthenticated through Spring Security (its chain permits all): "
							+ GatewayMeasures.micros(chain) + "; " + refused,
					"-", GatewayMeasures.micros(none) + " (allow-unauthenticated, no Spring Security: rows 20-22)",
					String.format(
							"JWT %+.0f µs p50 (%.2fx), %+.0f µs p99 (%.2fx) over no Spring Security;"
									+ " p50: Spring Security's chain %+.0f µs, the JWT's check %+.0f µs",
							difference(withJwt, none, 50), GatewayMeasures.ratio(withJwt, none, 50),
							difference(withJwt, none, 99), GatewayMeasures.ratio(withJwt, none, 99),
							difference(chain, none, 50), difference(withJwt, chain, 50)),
					"-", true));
		}
		finally {
			for (ConfigurableApplicationContext context : contexts) {
				context.close();
			}
		}
	}

	/**
	 * Starts a gateway serving the Java fixture as {@code shared} (keep-alive), added to
	 * {@code contexts} to be closed.
	 */
	private ConfigurableApplicationContext start(List<ConfigurableApplicationContext> contexts, String name,
			String... settings) {
		List<String> properties = new ArrayList<>(
				List.of("spring.main.banner-mode=off", "logging.level.root=warn", "logging.level.mcp.stdio=off",
						"server.port=0", "server.address=127.0.0.1", "mcp.stdio.gateway.enabled=true"));
		properties.addAll(List.of(settings));
		GatewayMeasures.fixtureServer(properties, SERVER, this.mark + "-" + name);
		ConfigurableApplicationContext context = new SpringApplicationBuilder(GatewayMeasures.GatewayApplication.class)
			.web(WebApplicationType.SERVLET)
			.properties(properties.toArray(new String[0]))
			.run();
		contexts.add(context);
		return context;
	}

	private static URI uri(ConfigurableApplicationContext context) {
		return URI
			.create("http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port") + "/mcp/" + SERVER);
	}

	/**
	 * Opens a session without a token.
	 * @return what the cell says where it was refused with 401
	 * @throws IllegalStateException where it was not
	 */
	private static String refusedWithoutToken(URI uri) throws InterruptedException {
		try {
			new HttpMcpClient(uri).open().close();
		}
		catch (IOException ex) {
			if (String.valueOf(ex.getMessage()).startsWith("HTTP 401")) {
				return "a session without the token: 401";
			}
			throw new IllegalStateException("auth: oauth2 refused a session without a token otherwise than with 401",
					ex);
		}
		throw new IllegalStateException("auth: oauth2 opened a session without a token");
	}

	/** The difference at a percentile, in µs. */
	private static double difference(long[] sorted, long[] than, int percentile) {
		return (Benchmarks.percentile(sorted, percentile) - Benchmarks.percentile(than, percentile)) / 1e3;
	}

}
