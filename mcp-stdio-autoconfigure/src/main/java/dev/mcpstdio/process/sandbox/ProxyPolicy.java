package dev.mcpstdio.process.sandbox;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the proxy of one server may connect: a host its {@link DomainRules} allow,
 * resolved once here, so that the proxy connects to the very addresses this checked (a
 * second lookup could answer otherwise: DNS rebinding). A host allowed by name as written
 * in {@code allowed-domains} (a name, {@code localhost}, an IP literal) reaches whatever
 * it resolves to. A host allowed only by a wildcard ({@code *.example.com}, {@code *})
 * reaches {@link AddressClass#PUBLIC public} addresses only: of a name that resolves to
 * public and other addresses, the other ones are dropped and the public ones tried in the
 * resolver's order; a name with none, or an IP literal that is not public, is refused. A
 * host not allowed is not even resolved, so that its lookup carries nothing out.
 */
final class ProxyPolicy {

	private static final Logger logger = LoggerFactory.getLogger(ProxyPolicy.class);

	private final String server;

	private final DomainRules rules;

	private final HostResolver resolver;

	ProxyPolicy(String server, DomainRules rules, HostResolver resolver) {
		this.server = server;
		this.rules = rules;
		this.resolver = resolver;
	}

	/** The name of the server whose connections this judges. */
	String server() {
		return this.server;
	}

	/**
	 * Decides a connection and logs a refusal at INFO.
	 * @param host the host as requested (a name or an IP literal, IPv6 in brackets or
	 * not)
	 * @param port the port
	 * @return the decision, with the addresses to try where allowed
	 */
	Decision decide(String host, int port) {
		DomainRules.Match match = this.rules.match(host);
		if (match == DomainRules.Match.NONE) {
			return refused(host, port, ": it is not in sandbox.network.allowed-domains, or it is in denied-domains");
		}
		List<InetAddress> addresses;
		try {
			addresses = this.resolver.resolve(unbracketed(host));
		}
		catch (UnknownHostException ex) {
			addresses = List.of();
		}
		if (addresses.isEmpty()) {
			logger.debug("MCP server '{}' asked for {}:{}, which does not resolve", this.server, host, port);
			return new Decision(Verdict.UNRESOLVED, List.of(), "cannot resolve '" + host + "'");
		}
		if (match == DomainRules.Match.LITERAL) {
			return allowed(host, port, addresses);
		}
		List<InetAddress> reachable = addresses.stream()
			.filter((address) -> AddressClass.reached(address).isPublic())
			.toList();
		if (reachable.isEmpty()) {
			String these = (addresses.size() == 1) ? "this address" : "these addresses";
			return refused(host, port,
					" (" + described(addresses) + "): a name matched by a wildcard of sandbox.network.allowed-domains"
							+ " reaches public addresses only; write '" + host + "' itself in allowed-domains to"
							+ " let it reach " + these);
		}
		if (reachable.size() < addresses.size()) {
			logger.debug("MCP server '{}': {} also resolves to {}, which a wildcard does not reach", this.server, host,
					described(addresses.stream().filter((address) -> !reachable.contains(address)).toList()));
		}
		return allowed(host, port, reachable);
	}

	private Decision allowed(String host, int port, List<InetAddress> addresses) {
		logger.debug("MCP server '{}' connects to {}:{} ({})", this.server, host, port, described(addresses));
		return new Decision(Verdict.ALLOWED, addresses, "");
	}

	private Decision refused(String host, int port, String why) {
		logger.info("MCP server '{}' was refused a connection to {}:{}{}", this.server, host, port, why);
		return new Decision(Verdict.REFUSED, List.of(),
				"the MCP stdio sandbox of server '" + this.server + "' does not allow '" + host + "'" + why);
	}

	private static String described(List<InetAddress> addresses) {
		return addresses.stream()
			.map((address) -> address.getHostAddress() + ", " + AddressClass.reached(address))
			.collect(Collectors.joining("; "));
	}

	private static String unbracketed(String host) {
		return (host.startsWith("[") && host.endsWith("]")) ? host.substring(1, host.length() - 1) : host;
	}

	/** What becomes of a connection. */
	enum Verdict {

		/** It goes to the first of the addresses that accepts it. */
		ALLOWED,

		/** The rules refuse it: HTTP 403, SOCKS "not allowed by ruleset". */
		REFUSED,

		/** Its host does not resolve: HTTP 502, SOCKS "host unreachable". */
		UNRESOLVED

	}

	/**
	 * A decision.
	 *
	 * @param verdict what becomes of the connection
	 * @param addresses where allowed, the checked addresses to try, in order
	 * @param reason where not allowed, the sentence the client gets
	 */
	record Decision(Verdict verdict, List<InetAddress> addresses, String reason) {

	}

}
