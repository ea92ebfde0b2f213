package dev.mcpstdio.process.sandbox;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.mcpstdio.process.platform.DaemonThreads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The filtering proxy of one sandboxed server: it listens on a Unix socket (which
 * {@code socat} inside the sandbox offers on the sandbox's loopback), speaks HTTP
 * ({@code CONNECT} and absolute-form requests) and SOCKS5 on the same socket, and
 * connects only to the hosts its {@link DomainRules} allow; the others get 403 or a SOCKS
 * refusal, and the server keeps running.
 */
final class DomainProxy implements Closeable {

	private static final Logger logger = LoggerFactory.getLogger(DomainProxy.class);

	private static final int MAX_HEADER = 64 * 1024;

	private static final int CONNECT_TIMEOUT_MILLIS = 10_000;

	private final String server;

	private final DomainRules rules;

	private final Path directory;

	private final Path socket;

	private final ServerSocketChannel listener;

	private final ExecutorService connections;

	private DomainProxy(String server, DomainRules rules, Path directory) throws IOException {
		this.server = server;
		this.rules = rules;
		this.directory = directory;
		this.socket = directory.resolve("proxy.sock");
		this.listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
		this.listener.bind(UnixDomainSocketAddress.of(this.socket));
		this.connections = Executors.newCachedThreadPool(DaemonThreads.factory("mcp-stdio-proxy-" + server));
		this.connections.execute(this::accept);
	}

	/**
	 * Starts a proxy in a new private directory.
	 * @param server the server's name
	 * @param rules the hosts it may reach
	 * @return the running proxy
	 * @throws IOException if its socket cannot be made
	 */
	static DomainProxy start(String server, DomainRules rules) throws IOException {
		return new DomainProxy(server, rules, Files.createTempDirectory("mcp-stdio-proxy-"));
	}

	/** The directory of the proxy's socket, {@code proxy.sock}. */
	Path directory() {
		return this.directory;
	}

	@Override
	public void close() {
		try {
			this.listener.close();
		}
		catch (IOException ex) {
			// closing anyway
		}
		this.connections.shutdownNow();
		try {
			Files.deleteIfExists(this.socket);
			Files.deleteIfExists(this.directory);
		}
		catch (IOException ex) {
			logger.debug("Could not delete the proxy socket of MCP server '{}'", this.server, ex);
		}
	}

	private void accept() {
		while (this.listener.isOpen()) {
			try {
				SocketChannel client = this.listener.accept();
				this.connections.execute(() -> serve(client));
			}
			catch (IOException | RuntimeException ex) {
				// closed, or shut down while a connection came
				return;
			}
		}
	}

	private void serve(SocketChannel client) {
		try (client) {
			Reader in = new Reader(client);
			if (in.peek() == 5) {
				socks(client, in);
			}
			else {
				http(client, in);
			}
		}
		catch (IOException | RuntimeException ex) {
			logger.debug("MCP server '{}': a proxied connection ended: {}", this.server, ex.toString());
		}
	}

	private void socks(SocketChannel client, Reader in) throws IOException {
		in.read(1);
		in.read(in.read(1)[0] & 0xff); // the methods: only "no authentication" is offered
		write(client, new byte[] { 5, 0 });
		byte[] request = in.read(4);
		String host = switch (request[3]) {
			case 1 -> ipv4(in.read(4));
			case 3 -> new String(in.read(in.read(1)[0] & 0xff), StandardCharsets.US_ASCII);
			case 4 -> ipv6(in.read(16));
			default -> throw new IOException("unknown SOCKS address type " + request[3]);
		};
		byte[] portBytes = in.read(2);
		int port = ((portBytes[0] & 0xff) << 8) | (portBytes[1] & 0xff);
		if (request[1] != 1) {
			write(client, new byte[] { 5, 7, 0, 1, 0, 0, 0, 0, 0, 0 }); // command not
																		// supported
			return;
		}
		if (!allowed(host, port)) {
			write(client, new byte[] { 5, 2, 0, 1, 0, 0, 0, 0, 0, 0 }); // not allowed by
																		// ruleset
			return;
		}
		Socket target;
		try {
			target = connect(host, port);
		}
		catch (IOException ex) {
			write(client, new byte[] { 5, 5, 0, 1, 0, 0, 0, 0, 0, 0 }); // connection
																		// refused
			return;
		}
		try (target) {
			write(client, new byte[] { 5, 0, 0, 1, 0, 0, 0, 0, 0, 0 });
			relay(client, in, target);
		}
	}

	private void http(SocketChannel client, Reader in) throws IOException {
		String header = in.header();
		int lineEnd = header.indexOf("\r\n");
		String[] requestLine = header.substring(0, lineEnd).split(" ");
		if (requestLine.length != 3) {
			respond(client, "400 Bad Request", "not an HTTP proxy request");
			return;
		}
		String method = requestLine[0];
		boolean connect = method.equalsIgnoreCase("CONNECT");
		String authority;
		String path = "";
		if (connect) {
			authority = requestLine[1];
		}
		else if (requestLine[1].regionMatches(true, 0, "http://", 0, 7)) {
			String rest = requestLine[1].substring(7);
			int slash = rest.indexOf('/');
			authority = (slash < 0) ? rest : rest.substring(0, slash);
			path = (slash < 0) ? "/" : rest.substring(slash);
		}
		else {
			respond(client, "400 Bad Request", "only CONNECT and absolute http:// requests are proxied");
			return;
		}
		int colon = authority.lastIndexOf(':');
		boolean hasPort = colon > 0 && !authority.endsWith("]");
		String host = hasPort ? authority.substring(0, colon) : authority;
		int port = hasPort ? Integer.parseInt(authority.substring(colon + 1)) : (connect ? 443 : 80);
		if (!allowed(host, port)) {
			respond(client, "403 Forbidden", "the MCP stdio sandbox of server '" + this.server + "' does not allow '"
					+ host + "': it is not in sandbox.network.allowed-domains, or it is in denied-domains");
			return;
		}
		Socket target;
		try {
			target = connect(host, port);
		}
		catch (IOException ex) {
			respond(client, "502 Bad Gateway", "cannot connect to " + authority + ": " + ex.getMessage());
			return;
		}
		try (target) {
			if (connect) {
				write(client, "HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
			}
			else {
				target.getOutputStream().write(originForm(method, path, requestLine[2], header.substring(lineEnd + 2)));
			}
			relay(client, in, target);
		}
	}

	/** The request as its origin receives it, on a connection that ends with it. */
	private static byte[] originForm(String method, String path, String version, String headers) {
		StringBuilder request = new StringBuilder(method).append(' ').append(path).append(' ').append(version);
		for (String line : headers.split("\r\n")) {
			String name = line.contains(":") ? line.substring(0, line.indexOf(':')).trim().toLowerCase(Locale.ROOT)
					: "";
			if (!line.isEmpty() && !name.startsWith("proxy-") && !name.equals("connection")
					&& !name.equals("keep-alive")) {
				request.append("\r\n").append(line);
			}
		}
		return request.append("\r\nConnection: close\r\n\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
	}

	private boolean allowed(String host, int port) {
		if (this.rules.allows(host)) {
			logger.debug("MCP server '{}' connects to {}:{}", this.server, host, port);
			return true;
		}
		logger.info("MCP server '{}' was refused a connection to {}:{}: not allowed by its"
				+ " sandbox.network.allowed-domains / denied-domains", this.server, host, port);
		return false;
	}

	private static Socket connect(String host, int port) throws IOException {
		Socket socket = new Socket();
		try {
			socket.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MILLIS);
			return socket;
		}
		catch (IOException ex) {
			socket.close();
			throw ex;
		}
	}

	/** Copies both ways until either side ends; bytes already read go first. */
	private void relay(SocketChannel client, Reader in, Socket target) throws IOException {
		OutputStream toTarget = target.getOutputStream();
		byte[] pending = in.rest();
		if (pending.length > 0) {
			toTarget.write(pending);
		}
		Future<?> replies = this.connections.submit(() -> {
			try (InputStream fromTarget = target.getInputStream()) {
				byte[] buffer = new byte[16 * 1024];
				int n;
				while ((n = fromTarget.read(buffer)) >= 0) {
					write(client, buffer, n);
				}
				client.shutdownOutput();
			}
			catch (IOException ex) {
				// either side closed
			}
		});
		ByteBuffer buffer = ByteBuffer.allocate(16 * 1024);
		try {
			while (client.read(buffer) >= 0) {
				toTarget.write(buffer.array(), 0, buffer.position());
				buffer.clear();
			}
			target.shutdownOutput();
		}
		catch (IOException ex) {
			// either side closed: the replies still end on their own
		}
		try {
			// the target may still be answering: its end ends the connection
			replies.get();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (ExecutionException ex) {
			// reported by the task itself
		}
	}

	private static void respond(SocketChannel client, String status, String text) throws IOException {
		byte[] body = (text + "\n").getBytes(StandardCharsets.UTF_8);
		write(client, ("HTTP/1.1 " + status + "\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: "
				+ body.length + "\r\nConnection: close\r\n\r\n")
			.getBytes(StandardCharsets.US_ASCII));
		write(client, body);
	}

	private static void write(SocketChannel client, byte[] bytes) throws IOException {
		write(client, bytes, bytes.length);
	}

	private static void write(SocketChannel client, byte[] bytes, int length) throws IOException {
		ByteBuffer buffer = ByteBuffer.wrap(bytes, 0, length);
		while (buffer.hasRemaining()) {
			client.write(buffer);
		}
	}

	private static String ipv4(byte[] address) {
		return (address[0] & 0xff) + "." + (address[1] & 0xff) + "." + (address[2] & 0xff) + "." + (address[3] & 0xff);
	}

	private static String ipv6(byte[] address) throws IOException {
		return InetAddress.getByAddress(address).getHostAddress();
	}

	/** Reads what a client sends first, keeping what comes after for the relay. */
	private static final class Reader {

		private final SocketChannel channel;

		private final ByteBuffer buffer = ByteBuffer.allocate(MAX_HEADER);

		Reader(SocketChannel channel) {
			this.channel = channel;
			this.buffer.flip();
		}

		int peek() throws IOException {
			fill(1);
			return this.buffer.get(this.buffer.position()) & 0xff;
		}

		byte[] read(int count) throws IOException {
			fill(count);
			byte[] bytes = new byte[count];
			this.buffer.get(bytes);
			return bytes;
		}

		/** The HTTP request line and headers, up to the empty line. */
		String header() throws IOException {
			while (true) {
				String text = new String(this.buffer.array(), this.buffer.position(), this.buffer.remaining(),
						StandardCharsets.ISO_8859_1);
				int end = text.indexOf("\r\n\r\n");
				if (end >= 0) {
					this.buffer.position(this.buffer.position() + end + 4);
					return text.substring(0, end + 2);
				}
				if (this.buffer.remaining() == MAX_HEADER) {
					throw new IOException("request header too large");
				}
				fill(this.buffer.remaining() + 1);
			}
		}

		byte[] rest() {
			byte[] bytes = new byte[this.buffer.remaining()];
			this.buffer.get(bytes);
			return bytes;
		}

		private void fill(int count) throws IOException {
			while (this.buffer.remaining() < count) {
				this.buffer.compact();
				int n = this.channel.read(this.buffer);
				this.buffer.flip();
				if (n < 0) {
					throw new EOFException("the client closed the connection");
				}
			}
		}

	}

}
