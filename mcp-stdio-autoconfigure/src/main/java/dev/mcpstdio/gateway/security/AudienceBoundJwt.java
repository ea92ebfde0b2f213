package dev.mcpstdio.gateway.security;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.AuthenticationManagerResolver;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationProvider;

/**
 * Authenticates a bearer JWT for the server a request is for: Spring Security's JWT
 * provider checks it (signature, issuer, expiry, as Boot's decoder is configured), then
 * its audience must name that server's canonical URI (RFC 8707), so a token obtained for
 * another resource, another server of the gateway's included, gets 401.
 */
public final class AudienceBoundJwt implements AuthenticationManagerResolver<HttpServletRequest> {

	private final GatewayResources resources;

	private final JwtAuthenticationProvider provider;

	public AudienceBoundJwt(GatewayResources resources, JwtDecoder decoder) {
		this.resources = resources;
		this.provider = new JwtAuthenticationProvider(decoder);
	}

	@Override
	public AuthenticationManager resolve(HttpServletRequest request) {
		String server = this.resources.server(request);
		return (token) -> authenticate(token, server);
	}

	private Authentication authenticate(Authentication token, @Nullable String server) {
		Authentication authenticated = this.provider.authenticate(token);
		String audience = (server != null) ? this.resources.canonicalUri(server) : null;
		if (audience == null || !(authenticated.getPrincipal() instanceof Jwt jwt) || jwt.getAudience() == null
				|| !jwt.getAudience().contains(audience)) {
			throw new InvalidBearerTokenException(
					"The token's audience does not name " + audience + ": ask for a token with resource=" + audience);
		}
		return authenticated;
	}

}
