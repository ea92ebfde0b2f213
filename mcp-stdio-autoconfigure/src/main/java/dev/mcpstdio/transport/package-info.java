/**
 * An MCP client transport over a managed child process: newline framing, bounded
 * messages, serialized writes, daemon readers, stderr to SLF4J and a tail.
 */
@NullMarked
package dev.mcpstdio.transport;

import org.jspecify.annotations.NullMarked;
