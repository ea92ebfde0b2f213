package dev.mcpstdio.process.sandbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a bind of a sandbox may take from the host, given the paths the server may write
 * (its working directory, its allow-write paths), where it could have planted a link or
 * moved a directory at an earlier launch: a path whose real path differs from it is bound
 * by its real path where nothing the server writes leads to it, and not at all where
 * something does (a link it planted would bind the host's root); a protected path inside
 * a writable one has every directory between them pinned (bound onto itself), so that
 * moving one away to put a file of the server's in its place fails.
 */
final class BindSources {

	private final List<Path> writable;

	BindSources(List<Path> writable) {
		this.writable = List.copyOf(writable);
	}

	/**
	 * The host path to bind for a path of the settings.
	 * @param path the path, absolute and normalized
	 * @return the path itself, or its real path where a link the server cannot have made
	 * leads to it; empty where it does not exist or a link inside a writable path does
	 */
	Optional<Path> source(Path path) {
		if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
			return Optional.empty();
		}
		Path real;
		try {
			real = path.toRealPath();
		}
		catch (IOException ex) {
			return Optional.empty();
		}
		if (real.equals(path)) {
			return Optional.of(path);
		}
		return insideWritable(path) ? Optional.empty() : Optional.of(real);
	}

	/**
	 * Whether a path lies strictly inside a path the server may write, so that what its
	 * name leads to may be the server's doing.
	 */
	boolean insideWritable(Path path) {
		return this.writable.stream().anyMatch((place) -> path.startsWith(place) && !path.equals(place));
	}

	/**
	 * The directories to pin so that a protected path inside a writable one stays where
	 * it is: those strictly between the outermost writable path holding it and the path.
	 * @param path the protected path
	 * @return the directories, outermost first; none where no writable path holds it
	 */
	List<Path> pins(Path path) {
		Path outermost = null;
		for (Path place : this.writable) {
			if (path.startsWith(place) && !path.equals(place) && (outermost == null || outermost.startsWith(place))) {
				outermost = place;
			}
		}
		List<Path> pins = new ArrayList<>();
		if (outermost == null) {
			return pins;
		}
		for (Path directory = path.getParent(); directory != null
				&& !directory.equals(outermost); directory = directory.getParent()) {
			pins.add(0, directory);
		}
		return pins;
	}

}
