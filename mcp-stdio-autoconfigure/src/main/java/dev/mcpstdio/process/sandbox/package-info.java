/**
 * What a server may do: {@link Confiner} (the entry point) turns a server's
 * {@link Confinement} into the words put before its command (bubblewrap's sandbox,
 * {@code prlimit}'s limits, {@code setpriv}'s no_new_privs) or into a container engine's
 * run options, runs the filtering proxy of a sandbox that may reach named domains, and
 * tells a limit that was exceeded from any other exit. Uses {@code platform}.
 */
@NullMarked
package dev.mcpstdio.process.sandbox;

import org.jspecify.annotations.NullMarked;
