package dev.mcpstdio.process.sandbox;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The filtering proxy over its real Unix socket, with a real target: an echo server on
 * the loopback that answers each line with "echo " and the line.
 */
class DomainProxyTests {

	private DomainProxy proxy;

	private ServerSocket target;

	@BeforeEach
	void start() throws IOException {
		this.proxy = DomainProxy.start("proxied", new DomainRules(List.of("localhost"), List.of()));
		this.target = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
		Thread echo = new Thread(() -> {
			while (!this.target.isClosed()) {
				try (Socket socket = this.target.accept()) {
					byte[] line = readLine(socket.getInputStream());
					socket.getOutputStream().write(("echo " + new String(line, StandardCharsets.UTF_8)).getBytes());
				}
				catch (IOException ex) {
					// closed
				}
			}
		});
		echo.setDaemon(true);
		echo.start();
	}

	@AfterEach
	void stop() throws IOException {
		this.proxy.close();
		this.target.close();
	}

	@Test
	void connectToAnAllowedHostIsRelayed() throws IOException {
		try (SocketChannel client = connect()) {
			send(client, "CONNECT localhost:" + this.target.getLocalPort() + " HTTP/1.1\r\nHost: x\r\n\r\n");
			assertThat(receive(client, 39)).isEqualTo("HTTP/1.1 200 Connection established\r\n\r\n");
			send(client, "hello\n");
			assertThat(receiveAll(client)).isEqualTo("echo hello\n");
		}
	}

	@Test
	void connectToAHostNotAllowedIsForbiddenNamingTheProperty() throws IOException {
		try (SocketChannel client = connect()) {
			send(client, "CONNECT 127.0.0.1:" + this.target.getLocalPort() + " HTTP/1.1\r\n\r\n");
			assertThat(receiveAll(client)).startsWith("HTTP/1.1 403 Forbidden")
				.contains("server 'proxied'", "'127.0.0.1'", "sandbox.network.allowed-domains");
		}
	}

	@Test
	void socksConnectToAnAllowedNameIsRelayedAndOtherwiseRefusedByRuleset() throws IOException {
		try (SocketChannel client = connect()) {
			socks(client, "localhost");
			assertThat(receive(client, 2)).isEqualTo("\u0005\u0000");
			assertThat(receive(client, 10).charAt(1)).isEqualTo((char) 0);
			send(client, "socks\n");
			assertThat(receiveAll(client)).isEqualTo("echo socks\n");
		}
		try (SocketChannel client = connect()) {
			socks(client, "example.com");
			receive(client, 2);
			assertThat(receive(client, 10).charAt(1)).isEqualTo((char) 2);
		}
	}

	@Test
	void closeRemovesTheSocketAndItsDirectory() {
		this.proxy.close();
		assertThat(this.proxy.directory()).doesNotExist();
	}

	private SocketChannel connect() throws IOException {
		SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
		channel.connect(UnixDomainSocketAddress.of(this.proxy.directory().resolve("proxy.sock")));
		assertThat(Files.exists(this.proxy.directory().resolve("proxy.sock"))).isTrue();
		return channel;
	}

	private void socks(SocketChannel client, String host) throws IOException {
		ByteBuffer request = ByteBuffer.allocate(64);
		request.put(new byte[] { 5, 1, 0 });
		request.put(new byte[] { 5, 1, 0, 3, (byte) host.length() }).put(host.getBytes(StandardCharsets.US_ASCII));
		request.putShort((short) this.target.getLocalPort());
		request.flip();
		client.write(request);
	}

	private static void send(SocketChannel client, String text) throws IOException {
		client.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.ISO_8859_1)));
	}

	private static String receive(SocketChannel client, int count) throws IOException {
		ByteBuffer buffer = ByteBuffer.allocate(count);
		while (buffer.hasRemaining() && client.read(buffer) >= 0) {
			// until count bytes or the end
		}
		return new String(buffer.array(), 0, buffer.position(), StandardCharsets.ISO_8859_1);
	}

	private static String receiveAll(SocketChannel client) throws IOException {
		StringBuilder text = new StringBuilder();
		ByteBuffer buffer = ByteBuffer.allocate(1024);
		while (client.read(buffer) >= 0) {
			text.append(new String(buffer.array(), 0, buffer.position(), StandardCharsets.ISO_8859_1));
			buffer.clear();
		}
		return text.toString();
	}

	private static byte[] readLine(InputStream in) throws IOException {
		java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();
		int b;
		while ((b = in.read()) >= 0) {
			line.write(b);
			if (b == '\n') {
				break;
			}
		}
		return line.toByteArray();
	}

}
