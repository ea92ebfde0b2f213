/**
 * The gateway: the managed servers over MCP's Streamable HTTP to remote clients, each
 * HTTP session mapped onto a process of its own ({@code keep-alive: false}) or onto the
 * shared process, its messages relayed as they are. Above {@code server}, which owns the
 * processes.
 */
@NullMarked
package dev.mcpstdio.gateway;

import org.jspecify.annotations.NullMarked;
