package dev.mcpstdio.autoconfigure;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import dev.mcpstdio.process.platform.DaemonThreads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells when a file may have changed: it watches the file's directory, and the
 * directories of every symbolic link on the way to its content, so that the swap of a
 * Kubernetes ConfigMap ({@code mcp.json -> ..data/mcp.json}, {@code ..data} replaced by a
 * rename) is seen as an edit in place is. Each event is passed on; whether the content
 * changed is for the listener to find out. Watches one daemon thread.
 */
final class ConfigFileWatcher implements Closeable {

	private static final Logger logger = LoggerFactory.getLogger(ConfigFileWatcher.class);

	private final Path file;

	private final Runnable listener;

	private final WatchService service;

	private final Map<Path, WatchKey> watched = new HashMap<>();

	/**
	 * Starts watching.
	 * @param file the file
	 * @param listener told of every event in the watched directories
	 * @throws IOException if the directories cannot be watched
	 */
	ConfigFileWatcher(Path file, Runnable listener) throws IOException {
		this.file = file.toAbsolutePath();
		this.listener = listener;
		this.service = FileSystems.getDefault().newWatchService();
		watchDirectories();
		DaemonThreads.start("mcp-stdio-config-file-watcher", this::run);
	}

	private void run() {
		try {
			while (true) {
				WatchKey key = this.service.take();
				key.pollEvents();
				key.reset();
				watchDirectories(); // the links may point elsewhere now
				try {
					this.listener.run();
				}
				catch (RuntimeException ex) {
					logger.warn("A change of the MCP config-file {} was not handled", this.file, ex);
				}
			}
		}
		catch (ClosedWatchServiceException | InterruptedException ex) {
			// closed
		}
	}

	/**
	 * Watches the directory of the file and of each link target on the way to its
	 * content; stops watching directories no longer on the way.
	 */
	private synchronized void watchDirectories() {
		Set<Path> directories = directoriesOnTheWay(this.file);
		for (Path directory : directories) {
			if (!this.watched.containsKey(directory)) {
				try {
					this.watched.put(directory, directory.register(this.service, StandardWatchEventKinds.ENTRY_CREATE,
							StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_DELETE));
				}
				catch (ClosedWatchServiceException ex) {
					return;
				}
				catch (IOException ex) {
					logger.warn("Cannot watch {} for changes of the MCP config-file {}: {}", directory, this.file,
							ex.getMessage());
				}
			}
		}
		this.watched.entrySet().removeIf((entry) -> {
			boolean gone = !directories.contains(entry.getKey());
			if (gone) {
				entry.getValue().cancel();
			}
			return gone;
		});
	}

	/** The directories watched now, for tests. */
	synchronized Set<Path> watchedDirectories() {
		return Set.copyOf(this.watched.keySet());
	}

	/**
	 * The real paths of the directories whose entries lead to the file's content, links
	 * followed.
	 */
	static Set<Path> directoriesOnTheWay(Path file) {
		Set<Path> directories = new LinkedHashSet<>();
		Path current = file.toAbsolutePath().normalize();
		for (int hops = 0; hops < 40; hops++) {
			Path parent = current.getParent();
			if (parent != null) {
				// by its real path: a link in the directory's own path (..data/mcp.json)
				// points to another directory after a swap
				directories.add(realPath(parent));
			}
			if (!Files.isSymbolicLink(current)) {
				break;
			}
			try {
				Path target = Files.readSymbolicLink(current);
				current = ((parent != null) ? parent.resolve(target) : target).normalize();
			}
			catch (IOException ex) {
				break;
			}
		}
		return directories;
	}

	private static Path realPath(Path path) {
		try {
			return path.toRealPath();
		}
		catch (IOException ex) {
			return path;
		}
	}

	@Override
	public void close() {
		try {
			this.service.close();
		}
		catch (IOException ex) {
			logger.debug("Closing the watch of the MCP config-file {} failed", this.file, ex);
		}
	}

}
