package dev.mcpstdio.transport;

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

	private volatile State state = State.NEW;

	State get() {
		return this.state;
	}

	boolean isConnected() {
		return this.state == State.CONNECTED;
	}

	/** Moves a new connection to STARTING; false if it was connected before. */
	boolean starting() {
		return move(State.NEW, State.STARTING);
	}

	void connected() {
		this.state = State.CONNECTED;
	}

	void closed() {
		this.state = State.CLOSED;
	}

	/** Closes a connection that never started; true if it was one. */
	boolean closeUnstarted() {
		return move(State.NEW, State.CLOSED);
	}

	/**
	 * Leaves CONNECTED for STOPPING or EXITED.
	 * @param next where to go
	 * @return true for the one caller that left it, who then reports the end
	 */
	boolean leaveConnected(State next) {
		return move(State.CONNECTED, next);
	}

	private synchronized boolean move(State from, State to) {
		if (this.state != from) {
			return false;
		}
		this.state = to;
		return true;
	}

}
