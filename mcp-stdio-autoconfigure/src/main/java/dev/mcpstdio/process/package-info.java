/**
 * Launching and stopping the OS processes of MCP servers: {@link ProcessLauncher} (the
 * entry point) launches, {@link ManagedProcess} runs the stop ladder. Knows nothing of
 * MCP or Spring. Its concerns live in packages of their own, which this one uses and
 * which never use it: {@code container} (a server run by a container engine's CLI),
 * {@code orphan} (no child outlives the JVM) and {@code platform} (the operating system
 * beneath them all).
 */
@NullMarked
package dev.mcpstdio.process;

import org.jspecify.annotations.NullMarked;
