package dev.mcpstdio.server;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a new set of definitions changes in the running one, server by server, by name:
 * servers added, removed, changed (restarted with their new definition), restarted with
 * an equal definition because a server they depend on changed, and left alone.
 *
 * @param added the new servers, started
 * @param removed the servers no longer defined, stopped
 * @param changed the servers whose definition changed, restarted with the new one
 * @param restarted the servers that depend on a changed one, directly or not, restarted
 * after it as at startup
 * @param unchanged the servers left running, their processes untouched
 */
public record ServerChanges(List<String> added, List<String> removed, List<String> changed, List<String> restarted,
		List<String> unchanged) {

	public ServerChanges {
		added = List.copyOf(added);
		removed = List.copyOf(removed);
		changed = List.copyOf(changed);
		restarted = List.copyOf(restarted);
		unchanged = List.copyOf(unchanged);
	}

	/**
	 * The changes from the current definitions to the wanted ones.
	 * @param current the servers as they are, in their order
	 * @param wanted the servers as they should be, in their order
	 * @param wantedGraph the dependencies of the wanted servers (checked: no unknown
	 * name, no cycle)
	 * @return the changes
	 */
	static ServerChanges between(List<ServerDefinition> current, List<ServerDefinition> wanted,
			ServerGraph wantedGraph) {
		Map<String, ServerDefinition> before = new LinkedHashMap<>();
		current.forEach((definition) -> before.put(definition.name(), definition));
		List<String> added = new ArrayList<>();
		List<String> changed = new ArrayList<>();
		Set<String> kept = new LinkedHashSet<>();
		for (ServerDefinition definition : wanted) {
			ServerDefinition old = before.get(definition.name());
			if (old == null) {
				added.add(definition.name());
			}
			else if (old.equals(definition)) {
				kept.add(definition.name());
			}
			else {
				changed.add(definition.name());
			}
		}
		List<String> removed = before.keySet()
			.stream()
			.filter((name) -> wanted.stream().noneMatch((definition) -> definition.name().equals(name)))
			.toList();
		Set<String> dependents = dependentsOf(changed, wantedGraph);
		List<String> restarted = kept.stream().filter(dependents::contains).toList();
		List<String> unchanged = kept.stream().filter((name) -> !dependents.contains(name)).toList();
		return new ServerChanges(added, removed, changed, restarted, unchanged);
	}

	/** Every server that depends on one of these, directly or not. */
	private static Set<String> dependentsOf(List<String> names, ServerGraph graph) {
		Set<String> dependents = new LinkedHashSet<>();
		Deque<String> next = new ArrayDeque<>(names);
		while (!next.isEmpty()) {
			for (String dependent : graph.dependentsOf(next.poll())) {
				if (dependents.add(dependent)) {
					next.add(dependent);
				}
			}
		}
		return dependents;
	}

	/** Whether no server is added, removed or restarted. */
	public boolean isEmpty() {
		return this.added.isEmpty() && this.removed.isEmpty() && this.changed.isEmpty();
	}

	/** The servers whose processes stop: the removed, changed and restarted ones. */
	List<String> stopped() {
		List<String> stopped = new ArrayList<>(this.removed);
		stopped.addAll(this.changed);
		stopped.addAll(this.restarted);
		return stopped;
	}

	/**
	 * One line for a log: {@code added [a], removed [b], changed [c] (restarted after it:
	 * [d]), 3 unchanged}.
	 */
	public String summary() {
		if (isEmpty()) {
			return "no server changed (" + this.unchanged.size() + " unchanged)";
		}
		List<String> parts = new ArrayList<>();
		if (!this.added.isEmpty()) {
			parts.add("added " + this.added);
		}
		if (!this.removed.isEmpty()) {
			parts.add("removed " + this.removed);
		}
		if (!this.changed.isEmpty()) {
			parts.add("changed " + this.changed
					+ (this.restarted.isEmpty() ? "" : " (restarted as they depend on it: " + this.restarted + ")"));
		}
		parts.add(this.unchanged.size() + " unchanged");
		return String.join(", ", parts);
	}

}
