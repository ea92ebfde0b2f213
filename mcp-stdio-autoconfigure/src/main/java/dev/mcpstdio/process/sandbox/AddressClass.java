package dev.mcpstdio.process.sandbox;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Arrays;

import org.jspecify.annotations.Nullable;

/**
 * What an IP address reaches: the public internet, or one of the ranges a name matched by
 * a wildcard of {@code allowed-domains} may not reach (the host itself, its networks, the
 * cloud metadata addresses). An IPv6 address that embeds an IPv4 address (IPv4-mapped
 * {@code ::ffff:a.b.c.d}, IPv4-compatible {@code ::a.b.c.d}, NAT64 {@code 64:ff9b::/96},
 * 6to4 {@code 2002::/16}) is judged by the address it embeds.
 */
enum AddressClass {

	/** Anything not below. */
	PUBLIC("public"),

	/** {@code 127.0.0.0/8}, {@code ::1}. */
	LOOPBACK("loopback"),

	/**
	 * {@code 10/8}, {@code 172.16/12}, {@code 192.168/16}, {@code fc00::/7}, the
	 * deprecated site-local {@code fec0::/10} and the local-use NAT64
	 * {@code 64:ff9b:1::/48}.
	 */
	PRIVATE("private"),

	/** {@code 169.254/16} (the metadata address 169.254.169.254), {@code fe80::/10}. */
	LINK_LOCAL("link-local"),

	/** {@code 100.64/10}, the shared address space of carrier-grade NAT. */
	CARRIER_NAT("carrier-grade NAT"),

	/** {@code 0.0.0.0/8}, {@code ::}. */
	UNSPECIFIED("unspecified"),

	/** {@code 224.0.0.0/4}, {@code ff00::/8}. */
	MULTICAST("multicast"),

	/** {@code 255.255.255.255}. */
	BROADCAST("broadcast"),

	/**
	 * {@code 240.0.0.0/4} but the broadcast address, and the special-purpose ranges no
	 * public host has: {@code 192.0.0.0/24}, the documentation ranges
	 * {@code 192.0.2.0/24}, {@code 198.51.100.0/24}, {@code 203.0.113.0/24} and
	 * {@code 2001:db8::/32}, the benchmarking {@code 198.18.0.0/15}.
	 */
	RESERVED("reserved"),

	/**
	 * An address of one of this host's own interfaces, whatever its range: the services
	 * of the host listening on every address answer there.
	 */
	THIS_HOST("an address of this host");

	private final String description;

	AddressClass(String description) {
		this.description = description;
	}

	/** Whether a name matched by a wildcard may reach it. */
	boolean isPublic() {
		return this == PUBLIC;
	}

	@Override
	public String toString() {
		return this.description;
	}

	/**
	 * The class of an address as the proxy would reach it: {@link #THIS_HOST} where one
	 * of this host's interfaces has it (or the interfaces cannot be read), else its
	 * range's.
	 * @param address the address
	 * @return its class
	 */
	static AddressClass reached(InetAddress address) {
		AddressClass range = of(address);
		if (range != PUBLIC) {
			return range;
		}
		try {
			return (NetworkInterface.getByInetAddress(address) != null) ? THIS_HOST : PUBLIC;
		}
		catch (SocketException ex) {
			return THIS_HOST;
		}
	}

	/**
	 * The class of an address by its range.
	 * @param address the address
	 * @return its class
	 */
	static AddressClass of(InetAddress address) {
		byte[] bytes = address.getAddress();
		if (address instanceof Inet4Address) {
			return ofIpv4(bytes);
		}
		if (address instanceof Inet6Address) {
			return ofIpv6(bytes);
		}
		throw new IllegalArgumentException("neither IPv4 nor IPv6: " + address);
	}

	private static AddressClass ofIpv4(byte[] address) {
		int a = address[0] & 0xff;
		int b = address[1] & 0xff;
		if (a == 0) {
			return UNSPECIFIED;
		}
		if (a == 127) {
			return LOOPBACK;
		}
		if (a == 10 || (a == 172 && (b & 0xf0) == 16) || (a == 192 && b == 168)) {
			return PRIVATE;
		}
		if (a == 169 && b == 254) {
			return LINK_LOCAL;
		}
		if (a == 100 && (b & 0xc0) == 64) {
			return CARRIER_NAT;
		}
		if ((a & 0xf0) == 224) {
			return MULTICAST;
		}
		if (Arrays.equals(address, new byte[] { -1, -1, -1, -1 })) {
			return BROADCAST;
		}
		int c = address[2] & 0xff;
		boolean special = (a == 192 && b == 0 && (c == 0 || c == 2)) || (a == 198 && (b & 0xfe) == 18)
				|| (a == 198 && b == 51 && c == 100) || (a == 203 && b == 0 && c == 113);
		return ((a & 0xf0) == 240 || special) ? RESERVED : PUBLIC;
	}

	private static AddressClass ofIpv6(byte[] address) {
		byte[] embedded = embeddedIpv4(address);
		if (embedded != null) {
			return ofIpv4(embedded);
		}
		if (zeros(address, 0, 15)) {
			return (address[15] == 0) ? UNSPECIFIED : LOOPBACK;
		}
		int first = address[0] & 0xff;
		int second = address[1] & 0xff;
		if ((first & 0xfe) == 0xfc || (first == 0xfe && (second & 0xc0) == 0xc0) || localNat64(address)) {
			return PRIVATE;
		}
		if (first == 0xfe && (second & 0xc0) == 0x80) {
			return LINK_LOCAL;
		}
		if (first == 0x20 && second == 0x01 && (address[2] & 0xff) == 0x0d && (address[3] & 0xff) == 0xb8) {
			return RESERVED;
		}
		return (first == 0xff) ? MULTICAST : PUBLIC;
	}

	/** The IPv4 address an IPv6 address embeds, or null. */
	private static byte @Nullable [] embeddedIpv4(byte[] address) {
		boolean mapped = zeros(address, 0, 10) && address[10] == -1 && address[11] == -1;
		boolean compatible = zeros(address, 0, 12) && !(zeros(address, 12, 15) && (address[15] & 0xfe) == 0);
		boolean nat64 = nat64(address) && zeros(address, 4, 12);
		if (mapped || compatible || nat64) {
			return Arrays.copyOfRange(address, 12, 16);
		}
		if (address[0] == 0x20 && address[1] == 0x02) {
			return Arrays.copyOfRange(address, 2, 6);
		}
		return null;
	}

	private static boolean nat64(byte[] address) {
		return address[0] == 0 && address[1] == 0x64 && address[2] == (byte) 0xff && address[3] == (byte) 0x9b;
	}

	/**
	 * {@code 64:ff9b:1::/48}: a site's own NAT64, which may reach its private IPv4
	 * networks.
	 */
	private static boolean localNat64(byte[] address) {
		return nat64(address) && address[4] == 0 && address[5] == 1;
	}

	private static boolean zeros(byte[] address, int from, int to) {
		for (int i = from; i < to; i++) {
			if (address[i] != 0) {
				return false;
			}
		}
		return true;
	}

}
