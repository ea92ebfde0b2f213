package dev.mcpstdio.autoconfigure;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

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
	void editInPlaceAndSwapOfTheLinksAreBothSeen() throws Exception {
		Path first = Files.createDirectories(this.directory.resolve("..v1"));
		Files.writeString(first.resolve("mcp.json"), "{}");
		Files.createSymbolicLink(this.directory.resolve("..data"), Path.of("..v1"));
		Path file = Files.createSymbolicLink(this.directory.resolve("mcp.json"), Path.of("..data", "mcp.json"));
		Semaphore events = new Semaphore(0);
		try (ConfigFileWatcher watcher = new ConfigFileWatcher(file, events::release)) {
			Files.writeString(first.resolve("mcp.json"), "{\"mcpServers\": {}}");
			assertThat(events.tryAcquire(30, TimeUnit.SECONDS)).isTrue();
			Path second = Files.createDirectories(this.directory.resolve("..v2"));
			Files.writeString(second.resolve("mcp.json"), "{}");
			events.drainPermits();
			Path swap = Files.createSymbolicLink(this.directory.resolve("..data_tmp"), Path.of("..v2"));
			Files.move(swap, this.directory.resolve("..data"), StandardCopyOption.ATOMIC_MOVE,
					StandardCopyOption.REPLACE_EXISTING, LinkOption.NOFOLLOW_LINKS);
			assertThat(events.tryAcquire(30, TimeUnit.SECONDS)).isTrue();
			// the new data directory is watched now: an edit there is seen
			assertThat(ConfigFileWatcher.directoriesOnTheWay(file)).contains(second.toRealPath());
			events.drainPermits();
			Files.writeString(second.resolve("mcp.json"), "{\"servers\": {}}");
			assertThat(events.tryAcquire(30, TimeUnit.SECONDS)).isTrue();
		}
	}

}
