package dev.mcpstdio.process.sandbox;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.UnknownHostException;
import java.util.Collections;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The classes of addresses, from IP literals (which the JDK parses without a lookup); no
 * address here is ever connected to.
 */
class AddressClassTests {

	@Test
	void loopbackAddressesAreLoopback() throws UnknownHostException {
		assertThat(classOf("127.0.0.1")).isEqualTo(AddressClass.LOOPBACK);
		assertThat(classOf("127.255.255.254")).isEqualTo(AddressClass.LOOPBACK);
		assertThat(classOf("::1")).isEqualTo(AddressClass.LOOPBACK);
	}

	@Test
	void privateRangesArePrivateAndTheirNeighboursPublic() throws UnknownHostException {
		assertThat(classOf("10.0.0.1")).isEqualTo(AddressClass.PRIVATE);
		assertThat(classOf("172.16.0.1")).isEqualTo(AddressClass.PRIVATE);
		assertThat(classOf("172.31.255.255")).isEqualTo(AddressClass.PRIVATE);
		assertThat(classOf("192.168.1.1")).isEqualTo(AddressClass.PRIVATE);
		assertThat(classOf("fd00:ec2::254")).isEqualTo(AddressClass.PRIVATE);
		assertThat(classOf("fc00::1")).isEqualTo(AddressClass.PRIVATE);
		assertThat(classOf("fec0::1")).isEqualTo(AddressClass.PRIVATE);
		assertThat(classOf("172.15.255.255")).isEqualTo(AddressClass.PUBLIC);
		assertThat(classOf("172.32.0.0")).isEqualTo(AddressClass.PUBLIC);
		assertThat(classOf("192.169.0.1")).isEqualTo(AddressClass.PUBLIC);
		assertThat(classOf("11.0.0.1")).isEqualTo(AddressClass.PUBLIC);
	}

	@Test
	void specialPurposeRangesNoPublicHostHasAreReserved() throws UnknownHostException {
		for (String address : new String[] { "192.0.0.8", "192.0.2.2", "198.18.0.1", "198.19.255.254", "198.51.100.7",
				"203.0.113.7", "2001:db8::1", "240.0.0.1" }) {
			assertThat(classOf(address)).as(address).isEqualTo(AddressClass.RESERVED);
		}
		for (String address : new String[] { "192.0.1.1", "198.17.0.1", "198.20.0.1", "203.0.114.1", "2001:db9::1" }) {
			assertThat(classOf(address)).as(address).isEqualTo(AddressClass.PUBLIC);
		}
	}

	@Test
	void publicAddressOfOneOfThisHostsInterfacesIsThisHostsAndOthersKeepTheirRange() throws Exception {
		for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
			for (InetAddress address : Collections.list(nic.getInetAddresses())) {
				AddressClass range = AddressClass.of(address);
				assertThat(AddressClass.reached(address)).as(address.toString())
					.isEqualTo(range.isPublic() ? AddressClass.THIS_HOST : range);
			}
		}
		assertThat(AddressClass.reached(InetAddress.getByName("127.0.0.1"))).isEqualTo(AddressClass.LOOPBACK);
		assertThat(AddressClass.reached(InetAddress.getByName("93.184.215.14"))).isEqualTo(AddressClass.PUBLIC);
	}

	@Test
	void metadataAddressIsLinkLocal() throws UnknownHostException {
		assertThat(classOf("169.254.169.254")).isEqualTo(AddressClass.LINK_LOCAL);
		assertThat(classOf("fe80::1")).isEqualTo(AddressClass.LINK_LOCAL);
		assertThat(classOf("febf::1")).isEqualTo(AddressClass.LINK_LOCAL);
		assertThat(classOf("169.253.0.1")).isEqualTo(AddressClass.PUBLIC);
	}

	@Test
	void sharedAddressSpaceIsCarrierNat() throws UnknownHostException {
		assertThat(classOf("100.64.0.1")).isEqualTo(AddressClass.CARRIER_NAT);
		assertThat(classOf("100.100.100.200")).isEqualTo(AddressClass.CARRIER_NAT);
		assertThat(classOf("100.127.255.255")).isEqualTo(AddressClass.CARRIER_NAT);
		assertThat(classOf("100.63.255.255")).isEqualTo(AddressClass.PUBLIC);
		assertThat(classOf("100.128.0.0")).isEqualTo(AddressClass.PUBLIC);
	}

	@Test
	void unspecifiedMulticastBroadcastAndReservedAreNotPublic() throws UnknownHostException {
		assertThat(classOf("0.0.0.0")).isEqualTo(AddressClass.UNSPECIFIED);
		assertThat(classOf("0.1.2.3")).isEqualTo(AddressClass.UNSPECIFIED);
		assertThat(classOf("::")).isEqualTo(AddressClass.UNSPECIFIED);
		assertThat(classOf("224.0.0.1")).isEqualTo(AddressClass.MULTICAST);
		assertThat(classOf("239.255.255.250")).isEqualTo(AddressClass.MULTICAST);
		assertThat(classOf("ff02::1")).isEqualTo(AddressClass.MULTICAST);
		assertThat(classOf("255.255.255.255")).isEqualTo(AddressClass.BROADCAST);
		assertThat(classOf("240.0.0.1")).isEqualTo(AddressClass.RESERVED);
		assertThat(classOf("255.255.255.254")).isEqualTo(AddressClass.RESERVED);
	}

	@Test
	void publicAddressesArePublic() throws UnknownHostException {
		assertThat(classOf("8.8.8.8")).isEqualTo(AddressClass.PUBLIC);
		assertThat(classOf("223.255.255.255")).isEqualTo(AddressClass.PUBLIC);
		assertThat(classOf("2606:4700:4700::1111")).isEqualTo(AddressClass.PUBLIC);
		assertThat(AddressClass.PUBLIC.isPublic()).isTrue();
		assertThat(AddressClass.LOOPBACK.isPublic()).isFalse();
	}

	@Test
	void ipv4MappedAddressIsJudgedByItsIpv4Address() throws UnknownHostException {
		assertThat(AddressClass.of(ipv6(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 127, 0, 0, 1)))
			.isEqualTo(AddressClass.LOOPBACK);
		assertThat(AddressClass.of(ipv6(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 169, 254, 169, 254)))
			.isEqualTo(AddressClass.LINK_LOCAL);
		assertThat(AddressClass.of(ipv6(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 8, 8, 8, 8)))
			.isEqualTo(AddressClass.PUBLIC);
		// the JDK makes a mapped literal an IPv4 address
		assertThat(classOf("::ffff:10.1.2.3")).isEqualTo(AddressClass.PRIVATE);
	}

	@Test
	void ipv4CompatibleNat64And6to4AddressesAreJudgedByTheirIpv4Address() throws UnknownHostException {
		assertThat(classOf("::127.0.0.1")).isEqualTo(AddressClass.LOOPBACK);
		assertThat(classOf("::10.0.0.1")).isEqualTo(AddressClass.PRIVATE);
		assertThat(classOf("::0.0.0.2")).isEqualTo(AddressClass.UNSPECIFIED);
		assertThat(classOf("64:ff9b::169.254.169.254")).isEqualTo(AddressClass.LINK_LOCAL);
		assertThat(classOf("64:ff9b::7f00:1")).isEqualTo(AddressClass.LOOPBACK);
		assertThat(classOf("64:ff9b::8.8.8.8")).isEqualTo(AddressClass.PUBLIC);
		assertThat(classOf("2002:7f00:1::1")).isEqualTo(AddressClass.LOOPBACK);
		assertThat(classOf("2002:a9fe:a9fe::")).isEqualTo(AddressClass.LINK_LOCAL);
		assertThat(classOf("2002:c0a8:101::1")).isEqualTo(AddressClass.PRIVATE);
		assertThat(classOf("2002:808:808::1")).isEqualTo(AddressClass.PUBLIC);
	}

	@Test
	void localUseNat64IsPrivate() throws UnknownHostException {
		assertThat(classOf("64:ff9b:1::8.8.8.8")).isEqualTo(AddressClass.PRIVATE);
	}

	@Test
	void classNamesItselfInMessages() {
		assertThat(AddressClass.LOOPBACK).hasToString("loopback");
		assertThat(AddressClass.CARRIER_NAT).hasToString("carrier-grade NAT");
	}

	private static AddressClass classOf(String literal) throws UnknownHostException {
		return AddressClass.of(InetAddress.getByName(literal));
	}

	private static InetAddress ipv6(int... bytes) throws UnknownHostException {
		byte[] address = new byte[16];
		for (int i = 0; i < 16; i++) {
			address[i] = (byte) bytes[i];
		}
		InetAddress v6 = Inet6Address.getByAddress(null, address, -1);
		assertThat(v6).isInstanceOf(Inet6Address.class);
		return v6;
	}

}
