package dev.mcpstdio.process.sandbox;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;

/**
 * The reader over a real connection on the loopback: the test writes to one end, the
 * reader reads the other; its deadline fires by hand.
 */
class RequestReaderTests {

	private final HandFiredDeadlines deadlines = new HandFiredDeadlines();

	private SocketChannel client;

	private SocketChannel accepted;

	@BeforeEach
	void connect() throws IOException {
		try (ServerSocketChannel listener = ServerSocketChannel.open()) {
			listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
			this.client = SocketChannel.open(listener.getLocalAddress());
			this.accepted = listener.accept();
		}
	}

	@AfterEach
	void close() throws IOException {
		this.client.close();
		this.accepted.close();
	}

	@Test
	void headerEndsAtTheEmptyLineAndTheRestIsKeptForTheRelay() throws IOException {
		RequestReader in = reader();
		ProxySockets.send(this.client, "CONNECT a:1 HTTP/1.1\r\nHost: a\r\n\r\nfirst bytes");
		assertThat(in.peek()).isEqualTo('C');
		assertThat(in.header()).isEqualTo("CONNECT a:1 HTTP/1.1\r\nHost: a\r\n");
		assertThat(new String(in.rest(), StandardCharsets.ISO_8859_1)).isEqualTo("first bytes");
	}

	@Test
	void headerSentInPiecesIsReadWhole() throws IOException {
		RequestReader in = reader();
		Thread writer = new Thread(() -> {
			try {
				for (String piece : new String[] { "GET http://a/ HTTP/1.1\r", "\nHost: a\r\n", "\r", "\n" }) {
					ProxySockets.send(this.client, piece);
				}
			}
			catch (IOException ex) {
				throw new IllegalStateException(ex);
			}
		});
		writer.start();
		assertThat(in.header()).isEqualTo("GET http://a/ HTTP/1.1\r\nHost: a\r\n");
		assertThat(in.rest()).isEmpty();
	}

	@Test
	void headerLargerThanTheLimitIsRefused() throws IOException {
		RequestReader in = reader();
		ProxySockets.send(this.client, "GET http://a/ HTTP/1.1\r\n" + "x".repeat(RequestReader.MAX_HEADER));
		assertThatIOException().isThrownBy(in::header).withMessage("request header too large");
	}

	@Test
	void readsBytesAsAsked() throws IOException {
		RequestReader in = reader();
		ProxySockets.send(this.client, "\u0005\u0001\u0000rest");
		assertThat(in.read(3)).containsExactly(5, 1, 0);
		assertThat(in.rest()).containsExactly('r', 'e', 's', 't');
	}

	@Test
	void clientThatEndsBeforeItsRequestEndsTheRead() throws IOException {
		RequestReader in = reader();
		ProxySockets.send(this.client, "CONNECT a:1");
		this.client.shutdownOutput();
		assertThatIOException().isThrownBy(in::header).withMessage("the client closed the connection");
	}

	@Test
	void deadlineIsScheduledWithTheTimeout() {
		reader();
		assertThat(this.deadlines.delays()).containsExactly(Duration.ofSeconds(3));
	}

	@Test
	void deadlineThatPassesBeforeTheRequestClosesTheConnection() throws IOException {
		RequestReader in = reader();
		this.deadlines.fireAll();
		assertThat(this.accepted.isOpen()).isFalse();
		assertThat(ProxySockets.receiveAll(this.client)).isEmpty();
		assertThatIOException().isThrownBy(in::header).isInstanceOf(ClosedChannelException.class);
		assertThatIOException().isThrownBy(in::requestRead).withMessage("the request came after its deadline");
	}

	@Test
	void deadlineThatPassesAfterTheRequestLeavesTheConnectionOpen() throws IOException {
		RequestReader in = reader();
		ProxySockets.send(this.client, "CONNECT a:1 HTTP/1.1\r\n\r\n");
		in.header();
		in.requestRead();
		this.deadlines.fireAll();
		assertThat(this.deadlines.cancels()).isOne();
		assertThat(this.accepted.isOpen()).isTrue();
	}

	private RequestReader reader() {
		return new RequestReader(this.accepted, this.deadlines, Duration.ofSeconds(3), "reader");
	}

}
