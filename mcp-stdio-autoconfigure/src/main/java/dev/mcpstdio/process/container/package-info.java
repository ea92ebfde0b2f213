/**
 * Servers run by a container engine's CLI ({@code docker run ...}):
 * {@link ContainerLauncher} (the entry point) rewrites their command line, has their
 * {@link Container} tracked by the orphan guard and removed at the end of the stop
 * ladder, and sweeps what dead JVMs left. Uses {@code orphan} and {@code platform}.
 */
@NullMarked
package dev.mcpstdio.process.container;

import org.jspecify.annotations.NullMarked;
