/**
 * The errors callers of a managed server see: {@link McpStdioException} (the server's
 * name, its exit code and stderr tail) and its kinds, exited, refused, failed and timed
 * out. It depends on nothing else of the starter's.
 */
@NullMarked
package dev.mcpstdio.transport.error;

import org.jspecify.annotations.NullMarked;
