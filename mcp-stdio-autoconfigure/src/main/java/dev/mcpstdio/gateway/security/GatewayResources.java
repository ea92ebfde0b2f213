package dev.mcpstdio.gateway.security;

import java.net.URI;
import java.util.List;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.security.oauth2.server.resource.OAuth2ProtectedResourceMetadata;

/**
 * The gateway's servers as OAuth protected resources: each one's canonical URI
 * ({@code public-url} + base path + {@code /NAME}, the audience its tokens must name),
 * its RFC 9728 metadata document at
 * {@code /.well-known/oauth-protected-resource{base-path}/NAME} and the scopes it needs.
 * Nothing is taken from a request's Host.
 */
public final class GatewayResources {

	/** Where RFC 9728 puts a resource's metadata, before the resource's path. */
	public static final String METADATA_PATH = "/.well-known/oauth-protected-resource";

	private final String origin;

	private final String basePath;

	private final @Nullable String issuer;

	private final Map<String, List<String>> scopes;

	/**
	 * The resources of a gateway.
	 * @param publicUrl the origin clients use
	 * @param basePath the gateway's base path, without a trailing slash
	 * @param issuer the authorization server's issuer, null where tokens are static
	 * @param scopes the scopes each server needs, by name
	 */
	public GatewayResources(URI publicUrl, String basePath, @Nullable String issuer, Map<String, List<String>> scopes) {
		String url = publicUrl.toString();
		this.origin = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
		this.basePath = basePath;
		this.issuer = issuer;
		this.scopes = Map.copyOf(scopes);
	}

	/** The server's canonical URI: the audience its tokens must name. */
	public String canonicalUri(String server) {
		return this.origin + this.basePath + "/" + server;
	}

	/** The path of the server's metadata document. */
	public String metadataPath(String server) {
		return METADATA_PATH + this.basePath + "/" + server;
	}

	/** The URL of the server's metadata document, as a challenge names it. */
	public String metadataUrl(String server) {
		return this.origin + metadataPath(server);
	}

	/** The paths the gateway serves its servers at. */
	public String serversPattern() {
		return this.basePath + "/*";
	}

	/** The paths of the servers' metadata documents. */
	public String metadataPattern() {
		return METADATA_PATH + this.basePath + "/*";
	}

	/** The scopes a token needs for the server; empty for none. */
	public List<String> scopes(String server) {
		return this.scopes.getOrDefault(server, List.of());
	}

	/** The servers that need scopes. */
	public Map<String, List<String>> scopes() {
		return this.scopes;
	}

	/**
	 * The server a request is for, at its path or its metadata's path; null for another
	 * path.
	 */
	public @Nullable String server(HttpServletRequest request) {
		String path = request.getRequestURI().substring(request.getContextPath().length());
		if (path.startsWith(METADATA_PATH + "/")) {
			path = path.substring(METADATA_PATH.length());
		}
		String prefix = this.basePath + "/";
		if (!path.startsWith(prefix) || path.length() == prefix.length() || path.indexOf('/', prefix.length()) >= 0) {
			return null;
		}
		return path.substring(prefix.length());
	}

	/**
	 * Writes a server's metadata: its canonical URI in place of the one Spring Security
	 * derives from the request, the issuer and the scopes.
	 * @param metadata the document Spring Security's metadata filter is building
	 */
	public void describe(OAuth2ProtectedResourceMetadata.Builder metadata) {
		metadata.claims((claims) -> {
			String derived = String.valueOf(claims.get("resource"));
			String server = derived.substring(derived.lastIndexOf('/') + 1);
			claims.put("resource", canonicalUri(server));
			claims.put("resource_name", "MCP server " + server);
			claims.put("tls_client_certificate_bound_access_tokens", false);
			if (!scopes(server).isEmpty()) {
				claims.put("scopes_supported", scopes(server));
			}
		});
		if (this.issuer != null) {
			metadata.authorizationServer(this.issuer);
		}
	}

}
