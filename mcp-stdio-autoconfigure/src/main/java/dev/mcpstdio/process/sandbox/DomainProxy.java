package dev.mcpstdio.process.sandbox;

import java.io.Closeable;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.mcpstdio.process.platform.DaemonThreads;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The filtering proxy of one sandboxed server: it listens on a Unix socket (which
 * {@code socat} inside the sandbox offers on the sandbox's loopback), speaks HTTP
 * ({@link HttpProxyProtocol}) and SOCKS5 ({@link Socks5Protocol}) on the same socket, and
 * connects only where its {@link ProxyPolicy} allows; the others get 403 or a SOCKS
 * refusal, and the server keeps running. So that the server cannot make the application
 * spend without end, it serves at most {@code maxConnections} connections at once, on at
 * most two threads each: a connection past them is closed at once, unanswered (it is not
 * known yet which protocol it speaks); and a connection that has not sent its whole
 * request (HTTP head, SOCKS greeting and request) within {@code requestTimeout} is
 * closed.
 */
final class DomainProxy implements Closeable {

	private static final Logger logger = LoggerFactory.getLogger(DomainProxy.class);

	/** How long a connection may take to send its request, by default. */
	static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);

	private final String server;

	private final Path directory;

	private final Path socket;

	private final ServerSocketChannel listener;

	private final int maxConnections;

	private final Semaphore places;

	private final AtomicBoolean full = new AtomicBoolean();

	private final Duration requestTimeout;

	private final Deadlines deadlines;

	private final @Nullable ScheduledThreadPoolExecutor timer;

	private final ThreadPoolExecutor connections;

	private final HttpProxyProtocol http;

	private final Socks5Protocol socks;

	/**
	 * Starts a proxy on {@code proxy.sock} in the given directory.
	 * @param directory the directory of its socket, which {@link #close()} deletes
	 * @param policy where it may connect
	 * @param maxConnections how many connections it serves at once
	 * @param requestTimeout how long a connection may take to send its request
	 * @param deadlines what closes a connection whose request is late, or null for a
	 * thread of the proxy's own
	 * @throws IOException if its socket cannot be made
	 */
	DomainProxy(Path directory, ProxyPolicy policy, int maxConnections, Duration requestTimeout,
			@Nullable Deadlines deadlines) throws IOException {
		if (maxConnections < 1 || requestTimeout.isNegative() || requestTimeout.isZero()) {
			throw new IllegalArgumentException(
					"maxConnections " + maxConnections + " and requestTimeout " + requestTimeout + " must be positive");
		}
		this.server = policy.server();
		this.directory = directory;
		this.socket = directory.resolve("proxy.sock");
		this.listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
		this.listener.bind(UnixDomainSocketAddress.of(this.socket));
		this.maxConnections = maxConnections;
		this.places = new Semaphore(maxConnections);
		this.requestTimeout = requestTimeout;
		if (deadlines != null) {
			this.timer = null;
			this.deadlines = deadlines;
		}
		else {
			ScheduledThreadPoolExecutor own = timer(this.server);
			this.timer = own;
			this.deadlines = Deadlines.of(own);
		}
		// a connection holds a thread and its relay a second one
		this.connections = new ThreadPoolExecutor(2 * maxConnections, 2 * maxConnections, 30, TimeUnit.SECONDS,
				new LinkedBlockingQueue<>(), DaemonThreads.factory("mcp-stdio-proxy-" + this.server + "-"));
		this.connections.allowCoreThreadTimeOut(true);
		Tunnel tunnel = new Tunnel(this.connections);
		this.http = new HttpProxyProtocol(policy, tunnel);
		this.socks = new Socks5Protocol(policy, tunnel);
		DaemonThreads.start("mcp-stdio-proxy-" + this.server, this::accept);
	}

	/** The directory of the proxy's socket, {@code proxy.sock}. */
	Path directory() {
		return this.directory;
	}

	@Override
	public void close() {
		closeQuietly(this.listener);
		this.connections.shutdownNow();
		if (this.timer != null) {
			this.timer.shutdownNow();
		}
		try {
			// recursively, links as links: whatever came to be there goes
			SandboxDirectory.delete(this.directory);
		}
		catch (IOException ex) {
			logger.warn("Could not delete the proxy directory {} of MCP server '{}': {}", this.directory, this.server,
					ex.toString());
		}
	}

	private void accept() {
		while (this.listener.isOpen()) {
			SocketChannel client;
			try {
				client = this.listener.accept();
			}
			catch (IOException ex) {
				return; // closed
			}
			if (!this.places.tryAcquire()) {
				refuse(client);
				continue;
			}
			this.full.set(false);
			try {
				this.connections.execute(() -> serve(client));
			}
			catch (RejectedExecutionException ex) {
				this.places.release();
				closeQuietly(client);
				return; // shut down
			}
		}
	}

	private void refuse(SocketChannel client) {
		closeQuietly(client);
		if (this.full.compareAndSet(false, true)) {
			logger.info("MCP server '{}' has {} proxied connections open, its most: further ones are closed until"
					+ " one ends", this.server, this.maxConnections);
		}
		else {
			logger.debug("MCP server '{}': a proxied connection past the {} open was closed", this.server,
					this.maxConnections);
		}
	}

	private void serve(SocketChannel client) {
		try (client) {
			RequestReader in = new RequestReader(client, this.deadlines, this.requestTimeout, this.server);
			if (in.peek() == Socks5Protocol.VERSION) {
				this.socks.serve(client, in);
			}
			else {
				this.http.serve(client, in);
			}
		}
		catch (IOException | RuntimeException ex) {
			logger.debug("MCP server '{}': a proxied connection ended: {}", this.server, ex.toString());
		}
		finally {
			this.places.release();
		}
	}

	private static ScheduledThreadPoolExecutor timer(String server) {
		ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1,
				DaemonThreads.factory("mcp-stdio-proxy-deadlines-" + server));
		timer.setRemoveOnCancelPolicy(true);
		return timer;
	}

	private static void closeQuietly(Closeable closeable) {
		try {
			closeable.close();
		}
		catch (IOException ex) {
			// closed anyway
		}
	}

}
