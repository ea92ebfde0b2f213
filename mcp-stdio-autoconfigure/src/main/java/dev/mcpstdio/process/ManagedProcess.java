package dev.mcpstdio.process;

import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;

import dev.mcpstdio.process.container.Container;
import dev.mcpstdio.process.sandbox.Confined;
import dev.mcpstdio.process.sandbox.Confinement;
import dev.mcpstdio.process.sandbox.Confiner;
import org.jspecify.annotations.Nullable;

/**
 * A running child launched by a {@link ProcessLauncher}: its pipes, its exit, and the
 * stop ladder that ends its whole process tree.
 */
public final class ManagedProcess {

	private final String name;

	private final Process process;

	private final long groupId;

	private final Instant startTime;

	private final StopLadder ladder;

	private final Runnable onStopped;

	private final @Nullable Container container;

	private final Confined confined;

	ManagedProcess(String name, Process process, boolean ownGroup, StopLadder ladder, Runnable onStopped) {
		this(name, process, ownGroup, ladder, onStopped, null, Confiner.ofContainer(Confinement.DEFAULTS));
	}

	ManagedProcess(String name, Process process, boolean ownGroup, StopLadder ladder, Runnable onStopped,
			@Nullable Container container, Confined confined) {
		this.name = name;
		this.process = process;
		this.groupId = ownGroup ? process.pid() : -1;
		this.startTime = process.info().startInstant().orElseGet(Instant::now);
		this.ladder = ladder;
		this.onStopped = onStopped;
		this.container = container;
		this.confined = confined;
	}

	/** The name of the server this process runs. */
	public String name() {
		return this.name;
	}

	public long pid() {
		return this.process.pid();
	}

	public Instant startTime() {
		return this.startTime;
	}

	public ProcessHandle handle() {
		return this.process.toHandle();
	}

	/**
	 * The container the child runs, where its command is a container engine's CLI running
	 * {@code run}.
	 */
	public Optional<Container> container() {
		return Optional.ofNullable(this.container);
	}

	/**
	 * What confines the child: {@code bubblewrap}, {@code container}, {@code unavailable}
	 * (a sandbox was asked for and could not run) or {@code off}.
	 */
	public String sandbox() {
		return this.confined.sandbox();
	}

	/**
	 * The limit the child exceeded, once it has exited.
	 * @param stderrTail its last stderr lines
	 * @return the property and its value ({@code limits.memory (128MB)}), or empty where
	 * it is still running or no limit explains its end
	 */
	public Optional<String> exceededLimit(List<String> stderrTail) {
		OptionalInt exitCode = exitCode();
		return exitCode.isPresent() ? this.confined.exceededLimit(exitCode.getAsInt(), stderrTail) : Optional.empty();
	}

	/** Whether the child itself is still running (its descendants aside). */
	public boolean isAlive() {
		return this.process.isAlive();
	}

	/** The child's exit code, once it has exited. */
	public OptionalInt exitCode() {
		return this.process.isAlive() ? OptionalInt.empty() : OptionalInt.of(this.process.exitValue());
	}

	/**
	 * Completes when the child has exited and its exit code can be read; never on the
	 * ForkJoin common pool (see {@link ExitWatch}).
	 */
	public CompletableFuture<ManagedProcess> onExit() {
		return ExitWatch.onExit(this.process).thenApply((exited) -> this);
	}

	/** The child's stdin. */
	public OutputStream stdin() {
		return this.process.getOutputStream();
	}

	/** The child's stdout. */
	public InputStream stdout() {
		return this.process.getInputStream();
	}

	/** The child's stderr. */
	public InputStream stderr() {
		return this.process.getErrorStream();
	}

	/**
	 * Runs the stop ladder: close stdin, SIGTERM to the tree, SIGKILL to the tree; for a
	 * container, its removal last, whatever step ended the CLI. Returns within
	 * {@link StopTimeouts#bound()} whatever the child does, with the tree gone. Its
	 * stdout and stderr stay open for readers to reach their end: {@link #closePipes()}
	 * ends them.
	 * @param timeouts how long each step waits
	 * @return what the stop did
	 */
	public StopReport stop(StopTimeouts timeouts) {
		try {
			return this.ladder.stop(this, timeouts);
		}
		finally {
			this.onStopped.run();
		}
	}

	/** Closes the child's pipes, whatever a descendant still holds open. */
	public void closePipes() {
		StopLadder.closeStdin(this);
		StopLadder.closeQuietly(this.process.getInputStream());
		StopLadder.closeQuietly(this.process.getErrorStream());
	}

	Process process() {
		return this.process;
	}

	long groupId() {
		return this.groupId;
	}

	@Override
	public String toString() {
		return "ManagedProcess[" + this.name + ", pid " + pid() + "]";
	}

}
