/**
 * Actuator support for managed MCP servers: health, the {@code mcpstdio} endpoint and
 * Micrometer metrics.
 */
@NullMarked
package dev.mcpstdio.actuate;

import org.jspecify.annotations.NullMarked;
