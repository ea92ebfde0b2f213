package dev.mcpstdio.transport;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import java.util.OptionalInt;

import dev.mcpstdio.process.ManagedProcess;
import dev.mcpstdio.process.ProcessLaunchException;
import dev.mcpstdio.process.ProcessLauncher;
import dev.mcpstdio.process.ProcessSpec;
import dev.mcpstdio.process.container.Container;
import dev.mcpstdio.process.platform.DaemonThreads;
import dev.mcpstdio.transport.error.McpStdioException;
import dev.mcpstdio.transport.pipe.ChildPipes;
import dev.mcpstdio.transport.pipe.LineReader;
import dev.mcpstdio.transport.pipe.StderrSink;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The child of one connection: launched once, its stdout read line by line into the frame
 * path and its stderr into the {@link StderrSink}; its exit, and a stdout it closes while
 * the connection is up, told to the {@link ConnectionEnd}. A launch that fails ends the
 * connection.
 */
final class ConnectionChild {

	private static final Logger logger = LoggerFactory.getLogger(ConnectionChild.class);

	private final ProcessLauncher launcher;

	private final ProcessSpec spec;

	private final int maxMessageSize;

	private final ConnectionState state;

	private final ConnectionEnd end;

	private final LineReader.Listener stdout;

	private final StderrSink stderr;

	private volatile @Nullable ChildPipes pipes;

	/**
	 * @param launcher launches the child
	 * @param spec what to launch
	 * @param maxMessageSize the longest line read from stdout
	 * @param state the connection's state
	 * @param end the connection's end
	 * @param stdout where the lines of stdout go
	 * @param stderr where stderr goes
	 */
	ConnectionChild(ProcessLauncher launcher, ProcessSpec spec, int maxMessageSize, ConnectionState state,
			ConnectionEnd end, LineReader.Listener stdout, StderrSink stderr) {
		this.launcher = launcher;
		this.spec = spec;
		this.maxMessageSize = maxMessageSize;
		this.state = state;
		this.end = end;
		this.stdout = stdout;
		this.stderr = stderr;
	}

	/**
	 * Launches the child and starts its readers. A launch that fails ends the connection
	 * (its error is the connection's) and is thrown.
	 */
	void launch() {
		ManagedProcess child = null;
		try {
			child = this.launcher.launch(this.spec);
			this.pipes = new ChildPipes(child, this::readStdout, this.stderr::readToEnd);
		}
		catch (RuntimeException | Error ex) {
			String message = (ex instanceof ProcessLaunchException launch) ? launch.getMessage()
					: "MCP server '" + name() + "' could not be started: " + ex;
			this.end.launchFailed(new McpStdioException(name(), message, ex), child);
			throw ex;
		}
	}

	/**
	 * Tells the connection's end when the launched child exits, on a thread of its own
	 * (never the ForkJoin common pool).
	 */
	void watchExit() {
		ManagedProcess child = pipes().child();
		child.onExit()
			.thenRunAsync(() -> this.end.exited(child, pipes()),
					(task) -> DaemonThreads.start(ChildPipes.threadName(name(), "exit"), task));
	}

	private void readStdout(InputStream stdout) {
		LineReader reader = new LineReader(stdout, this.maxMessageSize, this.stdout);
		try {
			reader.readToEnd();
		}
		catch (IOException ex) {
			logger.debug("MCP server '{}': stdout closed: {}", name(), ex.getMessage());
		}
		ChildPipes current = this.pipes;
		if (current != null && this.state.isConnected()) {
			this.end.stdoutClosed(current.child());
		}
	}

	/** The child's pipes; it must have been launched. */
	ChildPipes pipes() {
		ChildPipes current = this.pipes;
		if (current == null) {
			throw new IllegalStateException("MCP server '" + name() + "' is not connected");
		}
		return current;
	}

	/** The child's pid, or -1 before it started. */
	long pid() {
		ChildPipes current = this.pipes;
		return (current != null) ? current.child().pid() : -1;
	}

	/** The container the child runs, where it is a container engine's CLI. */
	Optional<Container> container() {
		ChildPipes current = this.pipes;
		return (current != null) ? current.child().container() : Optional.empty();
	}

	/** What confines the child, once it runs. */
	Optional<String> sandbox() {
		ChildPipes current = this.pipes;
		return (current != null) ? Optional.of(current.child().sandbox()) : Optional.empty();
	}

	/** The child's exit code, once it has exited. */
	OptionalInt exitCode() {
		ChildPipes current = this.pipes;
		return (current != null) ? current.child().exitCode() : OptionalInt.empty();
	}

	private String name() {
		return this.spec.name();
	}

}
