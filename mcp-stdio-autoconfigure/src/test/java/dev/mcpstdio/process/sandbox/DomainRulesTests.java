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

	@Test
	void nameWrittenInAllowedDomainsMatchesLiterallyEvenUnderAWildcard() {
		DomainRules rules = new DomainRules(List.of("*", "*.example.com", "db.example.com", "LocalHost."), List.of());
		assertThat(rules.match("db.example.com")).isEqualTo(DomainRules.Match.LITERAL);
		assertThat(rules.match("localhost")).isEqualTo(DomainRules.Match.LITERAL);
		assertThat(rules.match("a.example.com")).isEqualTo(DomainRules.Match.WILDCARD);
		assertThat(rules.match("127.0.0.1")).isEqualTo(DomainRules.Match.WILDCARD);
		assertThat(rules.match("*.example.com")).isEqualTo(DomainRules.Match.WILDCARD);
	}

	@Test
	void literalAddressMatchesLiterally() {
		DomainRules rules = new DomainRules(List.of("*", "10.0.0.5", "::1"), List.of());
		assertThat(rules.match("10.0.0.5")).isEqualTo(DomainRules.Match.LITERAL);
		assertThat(rules.match("[::1]")).isEqualTo(DomainRules.Match.LITERAL);
		assertThat(rules.match("10.0.0.6")).isEqualTo(DomainRules.Match.WILDCARD);
	}

	@Test
	void deniedOrUnlistedHostDoesNotMatch() {
		DomainRules rules = new DomainRules(List.of("*.example.com", "db.example.com"), List.of("db.example.com"));
		assertThat(rules.match("db.example.com")).isEqualTo(DomainRules.Match.NONE);
		assertThat(rules.match("example.org")).isEqualTo(DomainRules.Match.NONE);
	}

}
