package dev.mcpstdio.server;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code depends-on} relations between servers: who depends on whom, unknown names
 * and cycles.
 */
public final class ServerGraph {

	private final Map<String, List<String>> dependsOn;

	/**
	 * Creates the graph.
	 * @param dependsOn each server's name with the names it depends on, in declaration
	 * order
	 */
	public ServerGraph(Map<String, List<String>> dependsOn) {
		this.dependsOn = new LinkedHashMap<>(dependsOn);
	}

	/** The first name a server depends on that is not a server, by server. */
	public Map<String, String> unknownDependencies() {
		Map<String, String> unknown = new LinkedHashMap<>();
		this.dependsOn.forEach((name, dependencies) -> dependencies.stream()
			.filter((dependency) -> !this.dependsOn.containsKey(dependency))
			.findFirst()
			.ifPresent((dependency) -> unknown.put(name, dependency)));
		return unknown;
	}

	/** A cycle of depends-on, as the path of names that closes it, if there is one. */
	public Optional<List<String>> cycle() {
		Set<String> done = new LinkedHashSet<>();
		for (String name : this.dependsOn.keySet()) {
			List<String> path = new ArrayList<>();
			Optional<List<String>> cycle = visit(name, path, done);
			if (cycle.isPresent()) {
				return cycle;
			}
		}
		return Optional.empty();
	}

	private Optional<List<String>> visit(String name, List<String> path, Set<String> done) {
		int index = path.indexOf(name);
		if (index >= 0) {
			List<String> cycle = new ArrayList<>(path.subList(index, path.size()));
			cycle.add(name);
			return Optional.of(cycle);
		}
		if (done.contains(name) || !this.dependsOn.containsKey(name)) {
			return Optional.empty();
		}
		path.add(name);
		for (String dependency : this.dependsOn.get(name)) {
			Optional<List<String>> cycle = visit(dependency, path, done);
			if (cycle.isPresent()) {
				return cycle;
			}
		}
		path.remove(path.size() - 1);
		done.add(name);
		return Optional.empty();
	}

	List<String> dependenciesOf(String name) {
		return this.dependsOn.getOrDefault(name, List.of());
	}

	/** The servers that name this one in their depends-on. */
	List<String> dependentsOf(String name) {
		List<String> dependents = new ArrayList<>();
		this.dependsOn.forEach((other, dependencies) -> {
			if (dependencies.contains(name)) {
				dependents.add(other);
			}
		});
		return dependents;
	}

}
