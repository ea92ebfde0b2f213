package dev.mcpstdio.process.sandbox;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * What the proxy's tests talk through: a client of its Unix socket, the SOCKS5 requests,
 * and an echo server on a loopback address that answers each connection's first line with
 * "echo " and the line.
 */
final class ProxySockets {

	private ProxySockets() {
	}

	static SocketChannel connect(DomainProxy proxy) throws IOException {
		return connect(proxy.directory().resolve("proxy.sock"));
	}

	static SocketChannel connect(Path socket) throws IOException {
		SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
		channel.connect(UnixDomainSocketAddress.of(socket));
		return channel;
	}

	/** A SOCKS5 greeting and CONNECT request for a name (address type 3). */
	static void socks(SocketChannel client, String host, int port) throws IOException {
		byte[] name = host.getBytes(StandardCharsets.US_ASCII);
		ByteBuffer address = ByteBuffer.allocate(1 + name.length).put((byte) name.length).put(name);
		socks(client, 1, 3, address.array(), port);
	}

	/** A SOCKS5 greeting and a request of any command and address type. */
	static void socks(SocketChannel client, int command, int addressType, byte[] address, int port) throws IOException {
		ByteBuffer request = ByteBuffer.allocate(3 + 4 + address.length + 2);
		request.put(new byte[] { 5, 1, 0 });
		request.put(new byte[] { 5, (byte) command, 0, (byte) addressType }).put(address);
		request.putShort((short) port);
		request.flip();
		while (request.hasRemaining()) {
			client.write(request);
		}
	}

	/** The SOCKS5 reply code to a request sent with {@link #socks}. */
	static int socksReply(SocketChannel client) throws IOException {
		String greeting = receive(client, 2);
		if (!greeting.equals("\u0005\u0000")) {
			throw new IOException("no SOCKS5 greeting: " + greeting.length() + " bytes");
		}
		String reply = receive(client, 10);
		if (reply.length() != 10) {
			throw new IOException("no SOCKS5 reply: " + reply.length() + " bytes");
		}
		return reply.charAt(1);
	}

	static void send(SocketChannel client, String text) throws IOException {
		ByteBuffer buffer = ByteBuffer.wrap(text.getBytes(StandardCharsets.ISO_8859_1));
		while (buffer.hasRemaining()) {
			client.write(buffer);
		}
	}

	/** Up to count bytes, fewer where the connection ends first. */
	static String receive(SocketChannel client, int count) throws IOException {
		ByteBuffer buffer = ByteBuffer.allocate(count);
		while (buffer.hasRemaining() && client.read(buffer) >= 0) {
			// until count bytes or the end
		}
		return new String(buffer.array(), 0, buffer.position(), StandardCharsets.ISO_8859_1);
	}

	/** All bytes up to the end of the connection. */
	static String receiveAll(SocketChannel client) throws IOException {
		StringBuilder text = new StringBuilder();
		ByteBuffer buffer = ByteBuffer.allocate(1024);
		while (client.read(buffer) >= 0) {
			text.append(new String(buffer.array(), 0, buffer.position(), StandardCharsets.ISO_8859_1));
			buffer.clear();
		}
		return text.toString();
	}

	/** A port of the loopback where nothing listens (it listened a moment ago). */
	static int closedPort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

	/** The echo server. */
	static final class Echo implements Closeable {

		private final ServerSocket socket;

		Echo(InetAddress address) throws IOException {
			this.socket = new ServerSocket();
			this.socket.bind(new InetSocketAddress(address, 0), 50);
			Thread thread = new Thread(this::serve, "echo-" + address.getHostAddress());
			thread.setDaemon(true);
			thread.start();
		}

		int port() {
			return this.socket.getLocalPort();
		}

		@Override
		public void close() throws IOException {
			this.socket.close();
		}

		private void serve() {
			while (!this.socket.isClosed()) {
				try (Socket connection = this.socket.accept()) {
					byte[] line = readLine(connection.getInputStream());
					connection.getOutputStream()
						.write(("echo " + new String(line, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
				}
				catch (IOException ex) {
					// closed
				}
			}
		}

		private static byte[] readLine(InputStream in) throws IOException {
			ByteArrayOutputStream line = new ByteArrayOutputStream();
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

}
