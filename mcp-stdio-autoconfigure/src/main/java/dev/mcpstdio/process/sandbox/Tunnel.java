package dev.mcpstdio.process.sandbox;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.FutureTask;

import org.jspecify.annotations.Nullable;

/**
 * The far side of a proxied connection: opens it to one of the addresses the policy
 * checked, then copies bytes both ways until both sides end, the target's replies on a
 * thread of the proxy's own.
 */
final class Tunnel {

	private static final int CONNECT_TIMEOUT_MILLIS = 10_000;

	private final Executor executor;

	/**
	 * A tunnel whose replies run on the given threads.
	 * @param executor the proxy's threads
	 */
	Tunnel(Executor executor) {
		this.executor = executor;
	}

	/**
	 * Connects to the first of the addresses that accepts.
	 * @param addresses the checked addresses, at least one
	 * @param port the port
	 * @return the connected socket
	 * @throws IOException the failure of the first address, the others' suppressed
	 */
	static Socket open(List<InetAddress> addresses, int port) throws IOException {
		IOException failure = null;
		for (InetAddress address : addresses) {
			Socket socket = new Socket();
			try {
				socket.connect(new InetSocketAddress(address, port), CONNECT_TIMEOUT_MILLIS);
				return socket;
			}
			catch (IOException ex) {
				socket.close();
				failure = suppressing(failure, ex);
			}
		}
		throw (failure != null) ? failure : new IOException("no address to connect to");
	}

	/**
	 * Copies both ways until both sides end.
	 * @param client the client's connection
	 * @param pending what the client sent after its request, which goes first
	 * @param target the target's connection
	 * @throws IOException if the pending bytes cannot be sent
	 */
	void relay(SocketChannel client, byte[] pending, Socket target) throws IOException {
		OutputStream toTarget = target.getOutputStream();
		if (pending.length > 0) {
			toTarget.write(pending);
		}
		FutureTask<@Nullable Void> replies = new FutureTask<>(() -> copyReplies(target, client), null);
		this.executor.execute(replies);
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
			// the copy ends on any failure by itself
		}
	}

	private static void copyReplies(Socket target, SocketChannel client) {
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
	}

	static void write(SocketChannel client, byte[] bytes) throws IOException {
		write(client, bytes, bytes.length);
	}

	private static void write(SocketChannel client, byte[] bytes, int length) throws IOException {
		ByteBuffer buffer = ByteBuffer.wrap(bytes, 0, length);
		while (buffer.hasRemaining()) {
			client.write(buffer);
		}
	}

	private static IOException suppressing(@Nullable IOException first, IOException next) {
		if (first == null) {
			return next;
		}
		first.addSuppressed(next);
		return first;
	}

}
