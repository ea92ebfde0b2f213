package dev.mcpstdio.process.sandbox;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The policy with a resolver that answers from a map; nothing here connects anywhere.
 */
class ProxyPolicyTests {

	private final List<String> lookups = new ArrayList<>();

	private final Map<String, List<String>> names = Map.of("a.rebind.test", List.of("127.0.0.1"), "b.rebind.test",
			List.of("127.0.0.1", "127.0.0.2"), "mixed.rebind.test", List.of("10.0.0.7", "93.184.215.14", "::1"),
			"public.rebind.test", List.of("93.184.215.14"), "metadata.rebind.test", List.of("169.254.169.254"),
			"localhost", List.of("127.0.0.1", "::1"), "db.internal", List.of("10.0.0.5"));

	private final HostResolver resolver = (host) -> {
		this.lookups.add(host);
		List<String> addresses = this.names.get(host);
		if (addresses == null) {
			return List.of(InetAddress.getByName(host)); // an IP literal: no lookup
		}
		List<InetAddress> resolved = new ArrayList<>();
		for (String address : addresses) {
			resolved.add(InetAddress.getByName(address));
		}
		return resolved;
	};

	@Test
	void wildcardNameThatResolvesToLoopbackIsRefusedNamingAddressClassAndProperty() {
		ProxyPolicy.Decision decision = policy("*.rebind.test").decide("a.rebind.test", 80);
		assertThat(decision.verdict()).isEqualTo(ProxyPolicy.Verdict.REFUSED);
		assertThat(decision.addresses()).isEmpty();
		assertThat(decision.reason()).isEqualTo("the MCP stdio sandbox of server 'x' does not allow 'a.rebind.test'"
				+ " (127.0.0.1, loopback): a name matched by a wildcard of sandbox.network.allowed-domains reaches"
				+ " public addresses only; write 'a.rebind.test' itself in allowed-domains to let it reach this address");
	}

	@Test
	void wildcardNameWithSeveralNonPublicAddressesNamesThemAll() {
		ProxyPolicy.Decision decision = policy("*.rebind.test").decide("b.rebind.test", 80);
		assertThat(decision.verdict()).isEqualTo(ProxyPolicy.Verdict.REFUSED);
		assertThat(decision.reason()).contains("(127.0.0.1, loopback; 127.0.0.2, loopback)", "these addresses");
	}

	@Test
	void wildcardNameThatResolvesToTheMetadataAddressIsRefused() {
		ProxyPolicy.Decision decision = policy("*").decide("metadata.rebind.test", 80);
		assertThat(decision.verdict()).isEqualTo(ProxyPolicy.Verdict.REFUSED);
		assertThat(decision.reason()).contains("(169.254.169.254, link-local)");
	}

	@Test
	void wildcardNameWithPublicAndOtherAddressesKeepsThePublicOnes() throws UnknownHostException {
		ProxyPolicy.Decision decision = policy("*.rebind.test").decide("mixed.rebind.test", 443);
		assertThat(decision.verdict()).isEqualTo(ProxyPolicy.Verdict.ALLOWED);
		assertThat(decision.addresses()).containsExactly(InetAddress.getByName("93.184.215.14"));
	}

	@Test
	void wildcardNameThatResolvesToAPublicAddressIsAllowed() throws UnknownHostException {
		ProxyPolicy.Decision decision = policy("*.rebind.test").decide("public.rebind.test", 443);
		assertThat(decision.verdict()).isEqualTo(ProxyPolicy.Verdict.ALLOWED);
		assertThat(decision.addresses()).containsExactly(InetAddress.getByName("93.184.215.14"));
	}

	@Test
	void addressLiteralUnderAnyIsRefusedUnlessPublic() {
		ProxyPolicy policy = new ProxyPolicy("x", new DomainRules(List.of("*"), List.of("evil.test")), this.resolver);
		assertThat(policy.decide("127.0.0.1", 80).reason()).contains("'127.0.0.1' (127.0.0.1, loopback)");
		assertThat(policy.decide("[::1]", 80).reason()).contains("'[::1]' (0:0:0:0:0:0:0:1, loopback)");
		assertThat(policy.decide("::ffff:169.254.169.254", 80).reason()).contains("link-local");
		assertThat(policy.decide("100.100.100.200", 80).reason()).contains("carrier-grade NAT");
		assertThat(policy.decide("192.168.0.1", 80).reason()).contains("private");
		assertThat(policy.decide("8.8.8.8", 53).verdict()).isEqualTo(ProxyPolicy.Verdict.ALLOWED);
	}

	@Test
	void nameWrittenLiterallyReachesAllItsAddressesInOrder() throws UnknownHostException {
		ProxyPolicy policy = policy("*.rebind.test", "localhost", "db.internal", "b.rebind.test");
		assertThat(policy.decide("localhost", 80).addresses()).containsExactly(InetAddress.getByName("127.0.0.1"),
				InetAddress.getByName("::1"));
		assertThat(policy.decide("db.internal", 5432).addresses()).containsExactly(InetAddress.getByName("10.0.0.5"));
		assertThat(policy.decide("b.rebind.test", 80).addresses()).hasSize(2);
		assertThat(policy.decide("a.rebind.test", 80).verdict()).isEqualTo(ProxyPolicy.Verdict.REFUSED);
	}

	@Test
	void addressLiteralWrittenLiterallyIsAllowed() throws UnknownHostException {
		ProxyPolicy policy = policy("*", "127.0.0.1");
		assertThat(policy.decide("127.0.0.1", 80).addresses()).containsExactly(InetAddress.getByName("127.0.0.1"));
	}

	@Test
	void hostNotAllowedIsRefusedWithoutALookup() {
		ProxyPolicy.Decision decision = policy("*.rebind.test").decide("secret.exfiltrate.test", 80);
		assertThat(decision.verdict()).isEqualTo(ProxyPolicy.Verdict.REFUSED);
		assertThat(decision.reason()).isEqualTo("the MCP stdio sandbox of server 'x' does not allow"
				+ " 'secret.exfiltrate.test': it is not in sandbox.network.allowed-domains, or it is in denied-domains");
		assertThat(this.lookups).isEmpty();
	}

	@Test
	void eachDecisionResolvesOnce() {
		policy("*.rebind.test", "localhost").decide("public.rebind.test", 80);
		policy("*.rebind.test", "localhost").decide("localhost", 80);
		assertThat(this.lookups).containsExactly("public.rebind.test", "localhost");
	}

	@Test
	void nameThatDoesNotResolveIsUnresolved() {
		ProxyPolicy policy = new ProxyPolicy("x", new DomainRules(List.of("*.rebind.test"), List.of()), (host) -> {
			throw new UnknownHostException(host);
		});
		ProxyPolicy.Decision decision = policy.decide("gone.rebind.test", 80);
		assertThat(decision.verdict()).isEqualTo(ProxyPolicy.Verdict.UNRESOLVED);
		assertThat(decision.reason()).isEqualTo("cannot resolve 'gone.rebind.test'");
	}

	private ProxyPolicy policy(String... allowed) {
		return new ProxyPolicy("x", new DomainRules(Arrays.asList(allowed), List.of()), this.resolver);
	}

}
