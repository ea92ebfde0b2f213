package dev.mcpstdio.autoconfigure;

import java.util.List;

import dev.mcpstdio.server.McpStdioServers;

import org.springframework.context.ApplicationEvent;

/**
 * Servers were registered, unregistered or replaced while the application runs
 * ({@link McpStdioServers#register}, {@link McpStdioServers#unregister},
 * {@link McpStdioServers#reconcile}, a reload of the config-file): their names.
 */
public class McpStdioServersChangedEvent extends ApplicationEvent {

	private final List<String> added;

	private final List<String> removed;

	private final List<String> restarted;

	/**
	 * Creates the event.
	 * @param servers the registry that changed
	 * @param added the names of the servers registered
	 * @param removed the names of the servers unregistered
	 * @param restarted the names of the servers replaced by a new definition, or
	 * restarted as they depend on one
	 */
	public McpStdioServersChangedEvent(McpStdioServers servers, List<String> added, List<String> removed,
			List<String> restarted) {
		super(servers);
		this.added = List.copyOf(added);
		this.removed = List.copyOf(removed);
		this.restarted = List.copyOf(restarted);
	}

	/** The names of the servers registered. */
	public List<String> getAdded() {
		return this.added;
	}

	/** The names of the servers unregistered. */
	public List<String> getRemoved() {
		return this.removed;
	}

	/**
	 * The names of the servers replaced by a new definition, or restarted as they depend
	 * on one: the server that {@link McpStdioServers#server(String)} returns for them is
	 * a new one.
	 */
	public List<String> getRestarted() {
		return this.restarted;
	}

}
