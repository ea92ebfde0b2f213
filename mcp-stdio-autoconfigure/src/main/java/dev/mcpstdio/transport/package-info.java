/**
 * An MCP client transport over a managed child process: {@link ManagedStdioTransport}
 * (the entry point: connect, send, close) and its frame path. It uses the packages of its
 * concerns, which never use it: the requests in flight ({@code inflight}), their
 * observations ({@code observation}), the errors callers see ({@code error}) and the
 * child's pipes ({@code pipe}).
 */
@NullMarked
package dev.mcpstdio.transport;

import org.jspecify.annotations.NullMarked;
