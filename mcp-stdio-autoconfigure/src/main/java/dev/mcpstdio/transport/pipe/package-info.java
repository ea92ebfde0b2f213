/**
 * The pipes of a running child and their framing: {@link ChildPipes} (the entry point:
 * one whole line at a time to stdin, a daemon reader on stdout and on stderr), the
 * {@link LineReader} that cuts a stream into lines bounded by {@code max-message-size},
 * and the {@link StderrSink} that logs stderr, redacted ({@link Redactor}) and escaped
 * ({@link ControlCharacters}), and keeps its tail. It knows nothing of JSON-RPC; its
 * public types other than {@link ControlCharacters} and {@link LogLevel} are used by
 * {@code dev.mcpstdio.transport} alone.
 */
@NullMarked
package dev.mcpstdio.transport.pipe;

import org.jspecify.annotations.NullMarked;
