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
