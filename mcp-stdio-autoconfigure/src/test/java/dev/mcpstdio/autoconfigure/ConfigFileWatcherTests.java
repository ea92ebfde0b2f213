package dev.mcpstdio.autoconfigure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The watch of a file, in place and behind a ConfigMap's links, on a real file system.
 */
class ConfigFileWatcherTests {

	@TempDir
	Path directory;

	@Test
	void directoriesOnTheWayOfAConfigMapFileAreItsOwnAndItsDataDirectory() throws Exception {
		Path data = Files.createDirectories(this.directory.resolve("..2026_12_05_01"));
		Files.writeString(data.resolve("mcp.json"), "{}");
		Files.createSymbolicLink(this.directory.resolve("..data"), data.getFileName());
		Path file = Files.createSymbolicLink(this.directory.resolve("mcp.json"), Path.of("..data", "mcp.json"));
		assertThat(ConfigFileWatcher.directoriesOnTheWay(file)).containsExactly(this.directory.toRealPath(),
				data.toRealPath());
	}

	@Test
	void editInPlaceIsSeen() throws Exception {
		Path data = Files.createDirectories(this.directory.resolve("..v1"));
		Files.writeString(data.resolve("mcp.json"), "{\"v\": 1}");
		Files.createSymbolicLink(this.directory.resolve("..data"), Path.of("..v1"));
		Path file = Files.createSymbolicLink(this.directory.resolve("mcp.json"), Path.of("..data", "mcp.json"));
		BlockingQueue<String> seen = new LinkedBlockingQueue<>();
		try (ConfigFileWatcher watcher = new ConfigFileWatcher(file, () -> seen.add(read(file)))) {
			Files.writeString(data.resolve("mcp.json"), "{\"v\": 1, \"edited\": true}");
			assertSeen(seen, "{\"v\": 1, \"edited\": true}");
		}
	}

	@Test
	void swapOfTheLinksIsSeenAndTheNewDataDirectoryWatched() throws Exception {
		Path first = Files.createDirectories(this.directory.resolve("..v1"));
		Files.writeString(first.resolve("mcp.json"), "{\"v\": 1}");
		Files.createSymbolicLink(this.directory.resolve("..data"), Path.of("..v1"));
		Path file = Files.createSymbolicLink(this.directory.resolve("mcp.json"), Path.of("..data", "mcp.json"));
		// the kubelet's swap: the new data directory and a link to it under a temporary
		// name, then the link renamed over ..data. The first two are made before the
		// watch starts, so that what it reports can only be the rename
		Path second = Files.createDirectories(this.directory.resolve("..v2"));
		Files.writeString(second.resolve("mcp.json"), "{\"v\": 2}");
		Path swap = Files.createSymbolicLink(this.directory.resolve("..data_tmp"), Path.of("..v2"));
		BlockingQueue<String> seen = new LinkedBlockingQueue<>();
		try (ConfigFileWatcher watcher = new ConfigFileWatcher(file, () -> seen.add(read(file)))) {
			assertThat(watcher.watchedDirectories()).containsExactlyInAnyOrder(this.directory.toRealPath(),
					first.toRealPath());
			Files.move(swap, this.directory.resolve("..data"), StandardCopyOption.ATOMIC_MOVE,
					StandardCopyOption.REPLACE_EXISTING, LinkOption.NOFOLLOW_LINKS);
			assertSeen(seen, "{\"v\": 2}");
			// the new data directory is watched in place of the old one: an edit there
			// is seen
			await().atMost(Duration.ofSeconds(30))
				.untilAsserted(() -> assertThat(watcher.watchedDirectories())
					.containsExactlyInAnyOrder(this.directory.toRealPath(), second.toRealPath()));
			Files.writeString(second.resolve("mcp.json"), "{\"v\": 2, \"edited\": true}");
			assertSeen(seen, "{\"v\": 2, \"edited\": true}");
		}
	}

	/** What the file holds when an event is passed on. */
	private static String read(Path file) {
		try {
			return Files.readString(file);
		}
		catch (IOException ex) {
			return "unreadable: " + ex;
		}
	}

	/**
	 * Waits for an event after which the file held this content: one that came after the
	 * change that wrote it.
	 */
	private static void assertSeen(BlockingQueue<String> seen, String content) throws InterruptedException {
		List<String> before = new ArrayList<>();
		long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
		String next;
		while ((next = seen.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)) != null) {
			if (next.equals(content)) {
				return;
			}
			before.add(next);
		}
		throw new AssertionError("No event within 30 s after which the file held " + content + "; seen: " + before);
	}

}
