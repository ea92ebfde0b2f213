package dev.mcpstdio.autoconfigure;

import dev.mcpstdio.gateway.McpStdioGateway;
import dev.mcpstdio.gateway.security.AudienceBoundJwt;
import dev.mcpstdio.gateway.security.GatewayResources;
import dev.mcpstdio.gateway.security.InsufficientScope;
import dev.mcpstdio.gateway.security.StaticToken;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Who may call the gateway, on Spring Security: a filter chain for the gateway's paths
 * alone (the application's other chains, Boot's default included, keep the rest). With
 * {@code auth: oauth2} it is Spring Security's OAuth 2.1 resource server with Boot's JWT
 * decoder, each server a protected resource of its own (metadata, audience, scopes); with
 * {@code auth: token}, the static token; with {@code allow-unauthenticated}, everyone.
 * Ordered after Boot's security auto-configurations, so that adding this chain never
 * makes Boot's default chain back off.
 */
@AutoConfiguration(after = McpStdioGatewayAutoConfiguration.class, afterName = {
		"org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration",
		"org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration",
		"org.springframework.boot.security.oauth2.server.resource.autoconfigure.OAuth2ResourceServerAutoConfiguration",
		"org.springframework.boot.security.oauth2.server.resource.autoconfigure.web.OAuth2ResourceServerWebSecurityAutoConfiguration" })
@ConditionalOnClass({ HttpSecurity.class, BearerTokenAuthenticationEntryPoint.class })
@ConditionalOnBean(McpStdioGateway.class)
public final class McpStdioGatewaySecurityAutoConfiguration {

	/** Ahead of the application's own chains, which usually match every request. */
	static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 64;

	static final String ISSUER = "spring.security.oauth2.resourceserver.jwt.issuer-uri";

	@Bean
	@Order(ORDER)
	SecurityFilterChain mcpStdioGatewaySecurityFilterChain(HttpSecurity http, McpStdioProperties properties,
			ObjectProvider<JwtDecoder> decoders, Environment environment) {
		McpStdioProperties.Gateway gateway = properties.getGateway();
		String basePath = McpStdioGatewayAutoConfiguration.basePath(gateway);
		http.csrf((csrf) -> csrf.disable())
			.sessionManagement((sessions) -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.requestCache((cache) -> cache.disable());
		if (gateway.isAllowUnauthenticated()) {
			return http.securityMatcher(basePath + "/*")
				.authorizeHttpRequests((requests) -> requests.anyRequest().permitAll())
				.build();
		}
		if (gateway.getAuth() == McpStdioProperties.GatewayAuth.TOKEN) {
			StaticToken token = new StaticToken(GatewayAuthChecks.token(gateway));
			return http.securityMatcher(basePath + "/*")
				.authorizeHttpRequests((requests) -> requests.anyRequest().authenticated())
				.exceptionHandling((exceptions) -> exceptions.authenticationEntryPoint(token))
				.oauth2ResourceServer(
						(server) -> server.authenticationManagerResolver(token).authenticationEntryPoint(token))
				.build();
		}
		GatewayResources resources = new GatewayResources(GatewayAuthChecks.publicUrl(gateway), basePath,
				environment.getProperty(ISSUER), gateway.getScopes());
		BearerTokenAuthenticationEntryPoint challenge = new BearerTokenAuthenticationEntryPoint();
		challenge.setResourceMetadataParameterResolver((request) -> metadataUrl(resources, request));
		InsufficientScope insufficientScope = new InsufficientScope(resources);
		http.securityMatcher(resources.serversPattern(), resources.metadataPattern())
			.authorizeHttpRequests((requests) -> {
				requests.requestMatchers(resources.metadataPattern()).permitAll();
				resources.scopes()
					.forEach((server, scopes) -> requests.requestMatchers(basePath + "/" + server)
						.hasAllAuthorities(scopes.stream().map((scope) -> "SCOPE_" + scope).toArray(String[]::new)));
				requests.anyRequest().authenticated();
			})
			.exceptionHandling((exceptions) -> exceptions.authenticationEntryPoint(challenge)
				.accessDeniedHandler(insufficientScope))
			.oauth2ResourceServer((server) -> server.authenticationManagerResolver(jwt(resources, decoders))
				.authenticationEntryPoint(challenge)
				.accessDeniedHandler(insufficientScope)
				.protectedResourceMetadata(
						(metadata) -> metadata.protectedResourceMetadataCustomizer(resources::describe)));
		return http.build();
	}

	private static AudienceBoundJwt jwt(GatewayResources resources, ObjectProvider<JwtDecoder> decoders) {
		JwtDecoder decoder = decoders.getIfAvailable();
		if (decoder == null) {
			throw new McpStdioConfigurationException(null, ISSUER,
					"mcp.stdio.gateway.auth: oauth2 has no JWT decoder: Spring Security cannot check a token",
					"Set " + ISSUER + " to your authorization server's issuer (or "
							+ "spring.security.oauth2.resourceserver.jwt.jwk-set-uri), or use"
							+ " mcp.stdio.gateway.auth: token with mcp.stdio.gateway.token");
		}
		return new AudienceBoundJwt(resources, decoder);
	}

	private static String metadataUrl(GatewayResources resources, HttpServletRequest request) {
		String server = resources.server(request);
		return resources.metadataUrl((server != null) ? server : "");
	}

}
