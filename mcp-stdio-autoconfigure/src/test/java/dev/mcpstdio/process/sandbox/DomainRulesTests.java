package dev.mcpstdio.process.sandbox;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DomainRulesTests {

	@Test
	void exactNameAllowsThatHostOnly() {
		DomainRules rules = new DomainRules(List.of("api.github.com"), List.of());
		assertThat(rules.allows("api.github.com")).isTrue();
		assertThat(rules.allows("API.GitHub.com.")).isTrue();
		assertThat(rules.allows("github.com")).isFalse();
		assertThat(rules.allows("evil-api.github.com")).isFalse();
		assertThat(rules.allows("api.github.com.evil.net")).isFalse();
	}

	@Test
	void wildcardAllowsSubdomainsOnly() {
		DomainRules rules = new DomainRules(List.of("*.example.com"), List.of());
		assertThat(rules.allows("a.example.com")).isTrue();
		assertThat(rules.allows("a.b.example.com")).isTrue();
		assertThat(rules.allows("example.com")).isFalse();
		assertThat(rules.allows("badexample.com")).isFalse();
	}

	@Test
	void deniedDomainWinsOverAllowed() {
		DomainRules rules = new DomainRules(List.of("*"), List.of("*.internal.example.com", "169.254.169.254"));
		assertThat(rules.allows("registry.npmjs.org")).isTrue();
		assertThat(rules.allows("db.internal.example.com")).isFalse();
		assertThat(rules.allows("169.254.169.254")).isFalse();
	}

	@Test
	void addressIsAllowedOnlyWhereListed() {
		DomainRules rules = new DomainRules(List.of("localhost", "::1"), List.of());
		assertThat(rules.allows("127.0.0.1")).isFalse();
		assertThat(rules.allows("[::1]")).isTrue();
		assertThat(new DomainRules(List.of(), List.of()).allows("localhost")).isFalse();
	}

}
