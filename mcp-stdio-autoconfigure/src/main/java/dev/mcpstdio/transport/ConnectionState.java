package dev.mcpstdio.transport;

import java.util.concurrent.atomic.AtomicReference;

/**
 * Where a connection is in its life: {@code NEW}, {@code STARTING}, {@code CONNECTED},
 * then {@code STOPPING} (a stop was asked for) or {@code EXITED} (the child ended on its
 * own), then {@code CLOSED}. The one rule: whoever leaves {@code CONNECTED} first reports
 * how the connection ended, and every other path stands down.
 */
final class ConnectionState {

	enum State {

		NEW, STARTING, CONNECTED, STOPPING, EXITED, CLOSED

	}

	private final AtomicReference<State> state = new AtomicReference<>(State.NEW);

	State get() {
		return this.state.get();
	}

	boolean isConnected() {
		return this.state.get() == State.CONNECTED;
	}

	/** Moves a new connection to STARTING; false if it was connected before. */
	boolean starting() {
		return this.state.compareAndSet(State.NEW, State.STARTING);
	}

	void connected() {
		this.state.set(State.CONNECTED);
	}

	void closed() {
		this.state.set(State.CLOSED);
	}

	/** Closes a connection that never started; true if it was one. */
	boolean closeUnstarted() {
		return this.state.compareAndSet(State.NEW, State.CLOSED);
	}

	/**
	 * Leaves CONNECTED for STOPPING or EXITED.
	 * @param next where to go
	 * @return true for the one caller that left it, who then reports the end
	 */
	boolean leaveConnected(State next) {
		return this.state.compareAndSet(State.CONNECTED, next);
	}

}
