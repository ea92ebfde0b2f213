/**
 * Launching and stopping the OS processes of MCP servers: the stop ladder and the orphan
 * guard. Knows nothing of MCP or Spring.
 */
@NullMarked
package dev.mcpstdio.process;

import org.jspecify.annotations.NullMarked;
