/**
 * The requests of a connection in flight: {@link InFlightRequests} (the entry point: the
 * book of the requests sent and not yet answered, by id and progress token) over one
 * {@link InFlightRequest} each (its deadline, restarted by progress, never past its cap),
 * the {@link Turns} of {@code max-concurrent-requests}, the sync callers held until their
 * request leaves ({@link HeldCalls}), the requests given up on ({@link Cancellations},
 * swept by {@link RequestTimeouts}) and the {@link ErrorResponses} given in place of
 * answers. It uses the observations and the errors, never the transport that uses it; its
 * public types are used by {@code dev.mcpstdio.transport} alone.
 */
@NullMarked
package dev.mcpstdio.transport.inflight;

import org.jspecify.annotations.NullMarked;
