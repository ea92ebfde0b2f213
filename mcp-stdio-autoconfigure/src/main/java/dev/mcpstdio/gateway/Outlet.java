package dev.mcpstdio.gateway;

/**
 * Where the messages of one request of a client's go: an SSE stream (the answer and the
 * messages before it) or a plain JSON answer.
 */
interface Outlet {

	/** The stream's id, in the ids of its events. */
	String stream();

	/**
	 * Sends a message related to the request ahead of its answer.
	 * @return false if this outlet carries none, or its client is gone
	 */
	boolean related(String eventId, String json);

	/**
	 * Sends the answer and ends the outlet.
	 * @return false if the client is gone
	 */
	boolean answer(String eventId, String json);

	/** Whether the client still listens. */
	boolean isOpen();

	/** Ends the outlet without an answer. */
	void close();

}
