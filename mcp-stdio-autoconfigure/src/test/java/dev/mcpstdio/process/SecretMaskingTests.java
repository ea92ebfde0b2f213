package dev.mcpstdio.process;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SecretMaskingTests {

	@Test
	void maskCommandMasksSecretLookingOptionValues() {
		List<String> command = List.of("server", "--token=abc", "--api-key", "k-123", "--verbose", "-p", "8080",
				"--client-secret=s3", "--password", "pw", "plain");
		assertThat(SecretMasking.maskCommand(command)).containsExactly("server", "--token=******", "--api-key",
				"******", "--verbose", "-p", "8080", "--client-secret=******", "--password", "******", "plain");
	}

	@Test
	void maskCommandMasksHeadersEnvAssignmentsAndSchemeCredentials() {
		List<String> command = List.of("npx", "mcp-remote", "--header", "Authorization: Bearer abc.def", "-e",
				"GITHUB_TOKEN=ghp_123", "X-Key: Token t0k3n", "-H", "X-Api-Key: k");
		assertThat(SecretMasking.maskCommand(command)).containsExactly("npx", "mcp-remote", "--header", "******", "-e",
				"GITHUB_TOKEN=******", "X-Key: Token ******", "-H", "******");
		assertThat(SecretMasking.secretArguments(command)).containsExactly("Authorization: Bearer abc.def", "ghp_123",
				"t0k3n", "X-Api-Key: k");
	}

	@Test
	void secretArgumentsListsTheMaskedValues() {
		assertThat(SecretMasking.secretArguments(List.of("s", "--token=abc", "--apikey", "xyz", "--port=1")))
			.containsExactly("abc", "xyz");
	}

	@Test
	void specToStringShowsNoEnvValueAndNoSecretArgument() {
		ProcessSpec spec = ProcessSpec.command("gh", "server", List.of("--token=hunter2"))
			.env(java.util.Map.of("GITHUB_TOKEN", "ghp_secret"))
			.build();
		assertThat(spec.toString()).contains("GITHUB_TOKEN").doesNotContain("ghp_secret").doesNotContain("hunter2");
		assertThat(spec.secretValues()).containsExactlyInAnyOrder("ghp_secret", "hunter2");
	}

}
