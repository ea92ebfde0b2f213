package dev.mcpstdio.process.sandbox;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads what a client of the proxy sends first, its request, keeping what comes after for
 * the relay. The request has a deadline: a client that has not sent all of it in time is
 * closed, so that a connection that says nothing does not hold one of the proxy's few
 * places.
 */
final class RequestReader {

	private static final Logger logger = LoggerFactory.getLogger(RequestReader.class);

	static final int MAX_HEADER = 64 * 1024;

	private final SocketChannel channel;

	private final ByteBuffer buffer = ByteBuffer.allocate(MAX_HEADER);

	private final AtomicBoolean settled = new AtomicBoolean();

	private final Runnable cancel;

	/**
	 * Starts the deadline of a new connection.
	 * @param channel the client's connection
	 * @param deadlines what closes it in time
	 * @param timeout how long its request may take
	 * @param server the server's name, for the log
	 */
	RequestReader(SocketChannel channel, Deadlines deadlines, Duration timeout, String server) {
		this.channel = channel;
		this.buffer.flip();
		this.cancel = deadlines.schedule(timeout, () -> {
			if (this.settled.compareAndSet(false, true)) {
				logger.debug("MCP server '{}': a proxied connection sent no complete request in {}; closed", server,
						timeout);
				try {
					channel.close();
				}
				catch (IOException ex) {
					// closed anyway
				}
			}
		});
	}

	/**
	 * Ends the deadline: the request has come.
	 * @throws IOException if the deadline closed the connection first
	 */
	void requestRead() throws IOException {
		if (!this.settled.compareAndSet(false, true)) {
			throw new IOException("the request came after its deadline");
		}
		this.cancel.run();
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

	/** The HTTP request line and headers, up to the empty line, which it reads too. */
	String header() throws IOException {
		int checked = 0;
		while (true) {
			byte[] bytes = this.buffer.array();
			int start = this.buffer.position();
			for (int i = start + checked; i + 3 < this.buffer.limit(); i++) {
				if (bytes[i] == '\r' && bytes[i + 1] == '\n' && bytes[i + 2] == '\r' && bytes[i + 3] == '\n') {
					this.buffer.position(i + 4);
					return new String(bytes, start, i + 2 - start, StandardCharsets.ISO_8859_1);
				}
			}
			checked = Math.max(0, this.buffer.remaining() - 3);
			if (this.buffer.remaining() == MAX_HEADER) {
				throw new IOException("request header too large");
			}
			fill(this.buffer.remaining() + 1);
		}
	}

	/** What the client sent after its request. */
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
