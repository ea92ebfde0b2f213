/**
 * Managed MCP servers: the state machine of one server, keep-alive and sessions, restarts
 * and idle timeout, and the {@link dev.mcpstdio.server.McpStdioServers} registry.
 */
@NullMarked
package dev.mcpstdio.server;

import org.jspecify.annotations.NullMarked;
