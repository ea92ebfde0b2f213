package dev.mcpstdio.process.sandbox;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The tunnel between a client connection on the loopback and an echo server bound to
 * 127.0.0.1 only (so that 127.0.0.2 refuses its port).
 */
@Timeout(30)
class TunnelTests {

	private final ExecutorService executor = Executors.newCachedThreadPool();

	private ProxySockets.Echo target;

	@BeforeEach
	void start() throws IOException {
		this.target = new ProxySockets.Echo(InetAddress.getByName("127.0.0.1"));
	}

	@AfterEach
	void stop() throws IOException {
		this.target.close();
		this.executor.shutdownNow();
	}

	@Test
	void openConnectsToTheFirstAddressThatAccepts() throws IOException {
		try (Socket socket = Tunnel.open(
				List.of(InetAddress.getByName("127.0.0.2"), InetAddress.getByName("127.0.0.1")), this.target.port())) {
			assertThat(socket.getInetAddress()).isEqualTo(InetAddress.getByName("127.0.0.1"));
		}
	}

	@Test
	void openReportsTheFirstFailureWhereNoAddressAccepts() throws IOException {
		int closed = ProxySockets.closedPort();
		assertThatExceptionOfType(ConnectException.class)
			.isThrownBy(() -> Tunnel
				.open(List.of(InetAddress.getByName("127.0.0.1"), InetAddress.getByName("127.0.0.2")), closed))
			.satisfies((ex) -> assertThat(ex.getSuppressed()).hasSize(1));
	}

	@Test
	void relayCopiesBothWaysWhatCameWithTheRequestFirst() throws Exception {
		try (ServerSocketChannel listener = ServerSocketChannel.open()) {
			listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
			try (SocketChannel client = SocketChannel.open(listener.getLocalAddress());
					SocketChannel accepted = listener.accept();
					Socket socket = Tunnel.open(List.of(InetAddress.getByName("127.0.0.1")), this.target.port())) {
				Tunnel tunnel = new Tunnel(this.executor);
				var relay = this.executor.submit(() -> {
					tunnel.relay(accepted, "pen".getBytes(StandardCharsets.US_ASCII), socket);
					return null;
				});
				ProxySockets.send(client, "ding\n");
				assertThat(ProxySockets.receiveAll(client)).isEqualTo("echo pending\n");
				client.close();
				relay.get();
			}
		}
	}

}
