package dev.mcpstdio.server;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * The {@code depends-on} relations between servers: who depends on whom. Checked once,
 * when made: a name defined twice, a dependency on no server, or a cycle is an
 * {@link Invalid} exception.
 */
public final class ServerGraph {

	private final Map<String, List<String>> dependsOn;

	private ServerGraph(Map<String, List<String>> dependsOn) {
		this.dependsOn = dependsOn;
	}

	/**
	 * The graph of the servers.
	 * @param definitions the servers, in declaration order
	 * @return the graph
	 * @throws Invalid if a name is defined twice, a dependency names no server, or
	 * servers depend on each other in a cycle
	 */
	public static ServerGraph of(List<ServerDefinition> definitions) {
		Map<String, List<String>> dependsOn = new LinkedHashMap<>();
		for (ServerDefinition definition : definitions) {
			if (dependsOn.put(definition.name(), definition.dependsOn()) != null) {
				throw new Invalid(definition.name(), null, List.of(),
						"MCP server '" + definition.name() + "' is defined twice");
			}
		}
		ServerGraph graph = new ServerGraph(dependsOn);
		graph.unknownDependencies().forEach((name, unknown) -> {
			throw new Invalid(name, unknown, List.of(), "MCP server '" + name + "' depends on '" + unknown
					+ "', which is not a configured server (configured: " + dependsOn.keySet() + ")");
		});
		graph.cycle().ifPresent((cycle) -> {
			throw new Invalid(cycle.get(0), null, cycle, "MCP server '" + cycle.get(0)
					+ "' depends on itself through a cycle: " + String.join(" -> ", cycle));
		});
		return graph;
	}

	private Map<String, String> unknownDependencies() {
		Map<String, String> unknown = new LinkedHashMap<>();
		this.dependsOn.forEach((name, dependencies) -> dependencies.stream()
			.filter((dependency) -> !this.dependsOn.containsKey(dependency))
			.findFirst()
			.ifPresent((dependency) -> unknown.put(name, dependency)));
		return unknown;
	}

	private Optional<List<String>> cycle() {
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

	/**
	 * Servers that cannot be ordered: what is wrong, with the server it concerns.
	 */
	public static final class Invalid extends IllegalArgumentException {

		private final String serverName;

		private final @Nullable String unknownDependency;

		private final List<String> cycle;

		Invalid(String serverName, @Nullable String unknownDependency, List<String> cycle, String message) {
			super(message);
			this.serverName = serverName;
			this.unknownDependency = unknownDependency;
			this.cycle = List.copyOf(cycle);
		}

		@Override
		public String getMessage() {
			String message = super.getMessage();
			return (message != null) ? message : "MCP server '" + this.serverName + "' cannot be ordered";
		}

		/** The server the problem concerns. */
		public String getServerName() {
			return this.serverName;
		}

		/** The name it depends on that is no server, if that is the problem. */
		public @Nullable String getUnknownDependency() {
			return this.unknownDependency;
		}

		/** The names of the cycle, closed, if that is the problem. */
		public List<String> getCycle() {
			return this.cycle;
		}

	}

}
