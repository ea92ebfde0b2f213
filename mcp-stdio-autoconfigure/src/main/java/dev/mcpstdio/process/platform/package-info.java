/**
 * The operating system beneath the launcher: {@link Platform} (the entry point: which
 * system, its tools, the {@code waitpid} call Java lacks, through {@link Waitpid}),
 * {@link ProcessTree} (its processes as {@code /proc} shows them) and
 * {@link DaemonThreads} (threads that never keep the JVM alive). Uses no other package of
 * the starter.
 */
@NullMarked
package dev.mcpstdio.process.platform;

import org.jspecify.annotations.NullMarked;
