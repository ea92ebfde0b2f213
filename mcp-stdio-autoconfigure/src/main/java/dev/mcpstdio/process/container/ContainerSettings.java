package dev.mcpstdio.process.container;

/**
 * How a server whose command is a container engine's CLI running {@code run} is run.
 *
 * @param engine which engine's CLI the command is, {@link ContainerEngine#AUTO} to decide
 * by its file name, {@link ContainerEngine#NONE} to treat it as any other command
 * @param init whether {@code --init} is added where the arguments lack it
 * @param remove whether {@code --rm} is added where the arguments lack it
 */
public record ContainerSettings(ContainerEngine engine, boolean init, boolean remove) {

	/** Engine detected by file name, {@code --init} and {@code --rm} added. */
	public static final ContainerSettings DEFAULTS = new ContainerSettings(ContainerEngine.AUTO, true, true);

}
