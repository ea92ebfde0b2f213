/**
 * Auto-configuration of managed MCP STDIO servers: properties, the config-file import,
 * lifecycle registration, Spring AI tool callbacks and failure analysis.
 */
@NullMarked
package dev.mcpstdio.autoconfigure;

import org.jspecify.annotations.NullMarked;
