package dev.mcpstdio.process.orphan;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

import dev.mcpstdio.process.platform.DaemonThreads;

/**
 * The inits of the sandboxes a launcher started: each found as the first child of its
 * bubblewrap process (from the host's process table, which the server cannot write), kept
 * while its bubblewrap is tracked and forgotten with it.
 */
final class SandboxInits {

	private static final long WAIT_NANOS = TimeUnit.SECONDS.toNanos(5);

	private final ExecutorService finder = Executors
		.newSingleThreadExecutor(DaemonThreads.factory("mcp-stdio-sandbox-inits"));

	private final Consumer<ProcessHandle> track;

	private final LongConsumer untrack;

	private final Map<Long, Long> inits = new HashMap<>();

	private final Set<Long> searching = new HashSet<>();

	SandboxInits(Consumer<ProcessHandle> track, LongConsumer untrack) {
		this.track = track;
		this.untrack = untrack;
	}

	/** Looks for the init of a bubblewrap process that was just started. */
	void find(ProcessHandle bwrap) {
		synchronized (this) {
			this.searching.add(bwrap.pid());
		}
		this.finder.execute(() -> {
			long deadline = System.nanoTime() + WAIT_NANOS;
			long pause = 1;
			while (bwrap.isAlive() && System.nanoTime() - deadline < 0) {
				Optional<ProcessHandle> init = firstChild(bwrap);
				if (init.isPresent()) {
					found(bwrap.pid(), init.get());
					return;
				}
				try {
					// the init comes within milliseconds: look often first, then less
					Thread.sleep(pause);
					pause = Math.min(pause * 2, 50);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return;
				}
			}
			synchronized (this) {
				this.searching.remove(bwrap.pid());
			}
		});
	}

	/**
	 * The first child of a process: from its own list of children where Linux keeps one
	 * (one small file), else from the whole process table.
	 */
	private static Optional<ProcessHandle> firstChild(ProcessHandle parent) {
		Path children = Path.of("/proc", Long.toString(parent.pid()), "task", Long.toString(parent.pid()), "children");
		try {
			String[] pids = Files.readString(children).trim().split("\\s+");
			return pids[0].isEmpty() ? Optional.empty() : ProcessHandle.of(Long.parseLong(pids[0]));
		}
		catch (IOException | NumberFormatException ex) {
			return parent.children().findFirst();
		}
	}

	private synchronized void found(long bwrap, ProcessHandle init) {
		if (this.searching.remove(bwrap)) {
			this.inits.put(bwrap, init.pid());
			this.track.accept(init);
		}
	}

	/** Forgets the init of a bubblewrap process whose tree is gone. */
	synchronized void release(long bwrap) {
		this.searching.remove(bwrap);
		Long init = this.inits.remove(bwrap);
		if (init != null) {
			this.untrack.accept(init);
		}
	}

	synchronized Optional<Long> initOf(long bwrap) {
		return Optional.ofNullable(this.inits.get(bwrap));
	}

}
