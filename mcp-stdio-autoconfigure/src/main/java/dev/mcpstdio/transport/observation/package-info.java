/**
 * The Micrometer observation of each MCP request the starter sends: its documentation,
 * its context (which carries the request's {@code _meta}, where a tracing bridge puts the
 * trace context) and its convention, which follows OpenTelemetry's semantic conventions
 * for MCP and which an
 * {@link dev.mcpstdio.transport.observation.McpClientObservationConvention} bean
 * replaces.
 */
@NullMarked
package dev.mcpstdio.transport.observation;

import org.jspecify.annotations.NullMarked;
