package dev.mcpstdio.gateway.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.AuthenticationManagerResolver;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;
import org.springframework.security.web.AuthenticationEntryPoint;

/**
 * The static bearer token of {@code auth: token}: compared in constant time (digests of
 * both, so neither the content nor the length leaks through timing), and the challenge of
 * a request without it ({@code WWW-Authenticate: Bearer}, with
 * {@code error="invalid_token"} for a wrong one; no metadata, as no authorization server
 * issues it). Every caller that holds it is the one subject {@value #SUBJECT}.
 */
public final class StaticToken implements AuthenticationManagerResolver<HttpServletRequest>, AuthenticationEntryPoint {

	/** The subject of a caller with the token. */
	public static final String SUBJECT = "token";

	private final byte[] expected;

	public StaticToken(String token) {
		this.expected = digest(token);
	}

	@Override
	public AuthenticationManager resolve(HttpServletRequest request) {
		return this::authenticate;
	}

	private Authentication authenticate(Authentication authentication) {
		if (!(authentication instanceof BearerTokenAuthenticationToken bearer)
				|| !MessageDigest.isEqual(this.expected, digest(bearer.getToken()))) {
			throw new InvalidBearerTokenException("The token is not mcp.stdio.gateway.token");
		}
		return new Holder();
	}

	@Override
	public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException failure) {
		response.setHeader(HttpHeaders.WWW_AUTHENTICATE, (failure instanceof InvalidBearerTokenException)
				? "Bearer error=\"invalid_token\", error_description=\"" + failure.getMessage() + "\"" : "Bearer");
		response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
	}

	private static byte[] digest(String token) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** The caller that presented the token. */
	private static final class Holder extends AbstractAuthenticationToken {

		private static final long serialVersionUID = 1L;

		Holder() {
			super(List.of());
			setAuthenticated(true);
		}

		@Override
		public Object getCredentials() {
			return "";
		}

		@Override
		public Object getPrincipal() {
			return SUBJECT;
		}

	}

}
