package dev.mcpstdio.process.container;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * The container a child runs, where its command is a container engine's CLI running
 * {@code run}: which engine, and how the starter finds it (the name it gave it, the id
 * the engine wrote to the cid file, a label with a token of this run).
 */
public final class Container {

	/** The label whose value is unique to one launch. */
	static final String RUN_LABEL = "dev.mcpstdio.run";

	private final ContainerReaper reaper;

	private final EngineCli cli;

	private final String runToken;

	private final @Nullable String name;

	private final @Nullable Path cidFile;

	private volatile @Nullable String id;

	private volatile boolean removed;

	Container(ContainerReaper reaper, EngineCli cli, String runToken, @Nullable String name, @Nullable Path cidFile) {
		this.reaper = reaper;
		this.cli = cli;
		this.runToken = runToken;
		this.name = name;
		this.cidFile = cidFile;
	}

	/** The engine that runs the container. */
	public ContainerEngine engine() {
		return this.cli.engine();
	}

	/** The container's id, once the engine has created it. */
	public Optional<String> id() {
		String known = this.id;
		if (known == null && this.cidFile != null) {
			try {
				String read = Files.readString(this.cidFile, StandardCharsets.US_ASCII).trim();
				if (!read.isEmpty()) {
					this.id = read;
					known = read;
				}
			}
			catch (IOException ex) {
				// not yet written
			}
		}
		return Optional.ofNullable(known);
	}

	/** The name the starter gave the container, unless the user named it. */
	public Optional<String> name() {
		return Optional.ofNullable(this.name);
	}

	EngineCli cli() {
		return this.cli;
	}

	/** The value of {@link #RUN_LABEL} on this container. */
	String runToken() {
		return this.runToken;
	}

	/** The filter that lists this container and no other. */
	String runFilter() {
		return "label=" + RUN_LABEL + "=" + this.runToken;
	}

	/**
	 * Removes the container and waits until it is gone, up to the timeout.
	 * @param timeout how long to wait at most
	 * @return whether it is known to be gone
	 */
	boolean remove(Duration timeout) {
		id();
		boolean gone = this.reaper.remove(this, timeout);
		if (gone) {
			this.removed = true;
		}
		// its id is known by now, or the engine never wrote it
		deleteCidFile();
		return gone;
	}

	/** Whether a removal confirmed that the container is gone. */
	boolean removed() {
		return this.removed;
	}

	/** Deletes the cid file and its directory. */
	void deleteCidFile() {
		deleteCidFile(this.cidFile);
	}

	/** Deletes a cid file, where there is one, and its directory. */
	static void deleteCidFile(@Nullable Path cidFile) {
		if (cidFile != null) {
			try {
				Files.deleteIfExists(cidFile);
				Path parent = cidFile.getParent();
				if (parent != null) {
					Files.deleteIfExists(parent);
				}
			}
			catch (IOException ex) {
				// a temporary file: nothing more to do
			}
		}
	}

	@Override
	public String toString() {
		return engine().displayName() + " container " + id().or(this::name).orElse(RUN_LABEL + "=" + this.runToken);
	}

}
