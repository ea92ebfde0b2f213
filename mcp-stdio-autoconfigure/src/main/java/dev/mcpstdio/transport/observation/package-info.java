/**
 * The observation of each MCP request: {@link RequestObserver} (the entry point for
 * metrics: every request that leaves, with its outcome), and the Micrometer observations
 * of the requests the starter sends ({@link RequestObservations}) and of the server's
 * requests to the client ({@link ServerRequestObservations}), with their documentation,
 * their context (which carries the request's {@code _meta}, where a tracing bridge puts
 * the trace context) and their convention, which follows OpenTelemetry's semantic
 * conventions for MCP and which an {@link McpClientObservationConvention} bean replaces.
 * It uses the errors alone.
 */
@NullMarked
package dev.mcpstdio.transport.observation;

import org.jspecify.annotations.NullMarked;
