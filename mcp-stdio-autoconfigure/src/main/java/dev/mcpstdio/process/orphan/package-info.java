/**
 * The orphan guard: no child outlives the JVM, however it dies. {@link OrphanGuard} (the
 * entry point) holds the guardian process, the ledger of children that the next start
 * reaps, and, where the JVM is PID 1, the reaper of its orphans. Uses only
 * {@code platform}.
 */
@NullMarked
package dev.mcpstdio.process.orphan;

import org.jspecify.annotations.NullMarked;
