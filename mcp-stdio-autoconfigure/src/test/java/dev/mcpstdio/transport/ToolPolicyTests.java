package dev.mcpstdio.transport;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ToolPolicyTests {

	@Test
	void emptyPolicyAllowsEveryTool() {
		assertThat(ToolPolicy.ALL.allowsAll()).isTrue();
		assertThat(ToolPolicy.ALL.allows("delete_everything")).isTrue();
	}

	@Test
	void excludeGlobsRemoveToolsAndNameTheProperty() {
		ToolPolicy policy = new ToolPolicy(List.of(), List.of("delete_*", "drop?"));
		assertThat(policy.allows("read_file")).isTrue();
		assertThat(policy.allows("delete_everything")).isFalse();
		assertThat(policy.allows("drops")).isFalse();
		assertThat(policy.allows("dropped")).isTrue();
		assertThat(policy.refusal("delete_x")).contains("excluded by tools.exclude [delete_*, drop?]");
	}

	@Test
	void includeGlobsKeepOnlyTheirToolsAndExcludeStillWins() {
		ToolPolicy policy = new ToolPolicy(List.of("read_*", "list.dir"), List.of("read_secrets"));
		assertThat(policy.allows("read_file")).isTrue();
		assertThat(policy.allows("list.dir")).isTrue();
		assertThat(policy.allows("listXdir")).as("a dot is a dot").isFalse();
		assertThat(policy.allows("write_file")).isFalse();
		assertThat(policy.allows("read_secrets")).isFalse();
		assertThat(policy.refusal("write_file")).contains("not in tools.include [read_*, list.dir]");
	}

}
