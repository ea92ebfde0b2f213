package dev.mcpstdio.process.sandbox;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Resolves a host to its addresses: the JDK's resolver in production, one that answers as
 * told in tests.
 */
@FunctionalInterface
interface HostResolver {

	/** The JDK's resolver: {@link InetAddress#getAllByName}, which parses IP literals. */
	HostResolver SYSTEM = (host) -> List.of(InetAddress.getAllByName(host));

	/**
	 * The addresses of a host.
	 * @param host a name or an IP literal (IPv6 without brackets)
	 * @return its addresses, in the resolver's order, at least one
	 * @throws UnknownHostException if it has none
	 */
	List<InetAddress> resolve(String host) throws UnknownHostException;

}
