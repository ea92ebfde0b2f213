package dev.mcpstdio.gateway.security;

import java.io.IOException;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.web.access.AccessDeniedHandler;

/**
 * 403 for a token that lacks a server's scopes, with the challenge MCP's authorization
 * asks for (RFC 6750 section 3.1): {@code error="insufficient_scope"}, the {@code scope}
 * needed and the server's {@code resource_metadata}, so a client can step up.
 */
public final class InsufficientScope implements AccessDeniedHandler {

	private final GatewayResources resources;

	public InsufficientScope(GatewayResources resources) {
		this.resources = resources;
	}

	@Override
	public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException denied)
			throws IOException {
		String server = this.resources.server(request);
		StringBuilder challenge = new StringBuilder("Bearer error=\"insufficient_scope\"");
		if (server != null) {
			String scope = String.join(" ", this.resources.scopes(server));
			challenge.append(", error_description=\"MCP server '")
				.append(server)
				.append("' needs the scope ")
				.append(scope)
				.append("\", scope=\"")
				.append(scope)
				.append("\", resource_metadata=\"")
				.append(this.resources.metadataUrl(server))
				.append('"');
		}
		response.setHeader(HttpHeaders.WWW_AUTHENTICATE, challenge.toString());
		response.setStatus(HttpServletResponse.SC_FORBIDDEN);
	}

}
