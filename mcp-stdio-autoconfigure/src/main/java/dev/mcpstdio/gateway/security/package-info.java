/**
 * Who may call the gateway: the OAuth 2.1 resource server's parts (protected resource
 * metadata per server, audience-bound tokens, {@code insufficient_scope}) and the static
 * bearer token, on Spring Security.
 */
@NullMarked
package dev.mcpstdio.gateway.security;

import org.jspecify.annotations.NullMarked;
