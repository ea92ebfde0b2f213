package dev.mcpstdio.transport;

import java.util.function.Supplier;

import io.modelcontextprotocol.common.McpTransportContext;
import org.jspecify.annotations.Nullable;
import reactor.core.scheduler.Schedulers;
import reactor.util.context.ContextView;

/**
 * The thread of a sync client's caller, the client's transport context of each call (a
 * sync client puts it in the Reactor context of the requests it sends): a connection that
 * finds it holds that thread until the request's answer, so that an interrupt of the
 * caller reaches the connection, which then cancels the request at the server. The SDK
 * tells a transport nothing when a caller gives up, so this is how it learns.
 */
public final class CallingThread implements McpTransportContext {

	private final Thread thread;

	private CallingThread(Thread thread) {
		this.thread = thread;
	}

	/**
	 * The transport context provider of a sync client
	 * ({@code McpClient.SyncSpec.transportContextProvider}): the calling thread of each
	 * call.
	 * @return the provider
	 */
	public static Supplier<McpTransportContext> provider() {
		return () -> new CallingThread(Thread.currentThread());
	}

	@Override
	public @Nullable Object get(String key) {
		return null;
	}

	/**
	 * Whether a request is sent on the thread of a caller that waits for it (so the
	 * connection may hold it): the context names this thread, and it is a thread that may
	 * block.
	 */
	static boolean waitsHere(ContextView context) {
		return context.getOrDefault(McpTransportContext.KEY, null) instanceof CallingThread calling
				&& calling.thread == Thread.currentThread() && !Schedulers.isInNonBlockingThread();
	}

}
