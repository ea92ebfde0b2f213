package dev.mcpstdio.autoconfigure;

import java.util.List;

import dev.mcpstdio.server.McpStdioServers;

import org.springframework.context.ApplicationEvent;

/**
 * Servers were registered or unregistered while the application runs
 * ({@link McpStdioServers#register}, {@link McpStdioServers#unregister}): their names.
 */
public class McpStdioServersChangedEvent extends ApplicationEvent {

	private final List<String> added;

	private final List<String> removed;

	/**
	 * Creates the event.
	 * @param servers the registry that changed
	 * @param added the names of the servers registered
	 * @param removed the names of the servers unregistered
	 */
	public McpStdioServersChangedEvent(McpStdioServers servers, List<String> added, List<String> removed) {
		super(servers);
		this.added = List.copyOf(added);
		this.removed = List.copyOf(removed);
	}

	/** The names of the servers registered. */
	public List<String> getAdded() {
		return this.added;
	}

	/** The names of the servers unregistered. */
	public List<String> getRemoved() {
		return this.removed;
	}

}
