package dev.mcpstdio.gateway;

import java.security.Principal;

import dev.mcpstdio.server.ProcessOverrides;

/**
 * What a caller's own process gets ({@code process-per: subject}), from the authenticated
 * principal: more env (a per-user credential obtained by token exchange, say) and a
 * working directory of its own. Never the caller's token: it stays at the gateway. A bean
 * of this type is used for every such server; without one, a caller's process is a pooled
 * process like any other.
 */
@FunctionalInterface
public interface SubjectProcessCustomizer {

	/**
	 * What the caller's process of the server gets.
	 * @param server the server's name
	 * @param subject the authenticated caller (Spring Security's {@code Authentication},
	 * a {@code JwtAuthenticationToken} with {@code auth: oauth2})
	 * @return what it gets; {@link ProcessOverrides#NONE} for a pooled process
	 */
	ProcessOverrides overrides(String server, Principal subject);

}
