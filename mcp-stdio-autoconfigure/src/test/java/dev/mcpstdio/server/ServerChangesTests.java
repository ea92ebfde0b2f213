package dev.mcpstdio.server;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.mcpstdio.fixture.Fixtures;
import org.junit.jupiter.api.Test;

import static dev.mcpstdio.server.ReconcileTests.definition;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a new set of definitions changes, worked out without any process.
 */
class ServerChangesTests {

	@Test
	void equalDefinitionsChangeNothing() {
		List<ServerDefinition> current = List.of(definition("a", "v1"), definition("b", "v1", "a"));
		List<ServerDefinition> wanted = List.of(definition("a", "v1"), definition("b", "v1", "a"));
		ServerChanges changes = ServerChanges.between(current, wanted, ServerGraph.of(wanted));
		assertThat(changes.isEmpty()).isTrue();
		assertThat(changes.unchanged()).containsExactly("a", "b");
		assertThat(changes.summary()).isEqualTo("no server changed (2 unchanged)");
	}

	@Test
	void changedServerRestartsEveryServerThatDependsOnItDirectlyOrNot() {
		List<ServerDefinition> current = List.of(definition("db", "v1"), definition("api", "v1", "db"),
				definition("ui", "v1", "api"), definition("other", "v1"));
		List<ServerDefinition> wanted = List.of(definition("db", "v2"), definition("api", "v1", "db"),
				definition("ui", "v1", "api"), definition("other", "v1"));
		ServerChanges changes = ServerChanges.between(current, wanted, ServerGraph.of(wanted));
		assertThat(changes.changed()).containsExactly("db");
		assertThat(changes.restarted()).containsExactly("api", "ui");
		assertThat(changes.unchanged()).containsExactly("other");
		assertThat(changes.stopped()).containsExactly("db", "api", "ui");
		assertThat(changes.summary())
			.isEqualTo("changed [db] (restarted as they depend on it: [api, ui]), 1 unchanged");
	}

	@Test
	void addedAndRemovedServersAreFoundByName() {
		List<ServerDefinition> current = List.of(definition("a", "v1"), definition("gone", "v1"));
		List<ServerDefinition> wanted = List.of(definition("new", "v1"), definition("a", "v1"));
		ServerChanges changes = ServerChanges.between(current, wanted, ServerGraph.of(wanted));
		assertThat(changes.added()).containsExactly("new");
		assertThat(changes.removed()).containsExactly("gone");
		assertThat(changes.changed()).isEmpty();
		assertThat(changes.unchanged()).containsExactly("a");
		assertThat(changes.summary()).isEqualTo("added [new], removed [gone], 1 unchanged");
	}

	@Test
	void anyPropertyOfADefinitionMakesItChanged() {
		ServerDefinition base = definition("a", "v1");
		List<ServerDefinition> variants = List.of(
				base.toBuilder().health(new HealthSettings(Duration.ofSeconds(7), Duration.ofSeconds(1), 3)).build(),
				ServerDefinition
					.builder(Fixtures.builder("a").env(Map.of("VERSION", "v1")).passEnv(List.of("X")).build())
					.lifecycle(base.lifecycle())
					.build(),
				base.withKeepAlive(false), definition("a", "v1", "b"));
		for (ServerDefinition variant : variants) {
			List<ServerDefinition> wanted = (variant.dependsOn().isEmpty()) ? List.of(variant)
					: List.of(variant, definition("b", "v1"));
			ServerChanges changes = ServerChanges.between(List.of(base, definition("b", "v1")), wanted,
					ServerGraph.of(wanted));
			assertThat(changes.changed()).as(variant.toString()).containsExactly("a");
		}
	}

}
