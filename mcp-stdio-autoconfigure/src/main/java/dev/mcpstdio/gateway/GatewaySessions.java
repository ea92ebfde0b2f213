package dev.mcpstdio.gateway;

import java.security.Principal;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import dev.mcpstdio.server.McpStdioChannel;
import dev.mcpstdio.server.McpStdioServers;
import org.jspecify.annotations.Nullable;

/**
 * The gateway's open sessions, by id: opened on {@code initialize} up to
 * {@code max-sessions}, ended by DELETE, by {@code session-idle-timeout}, by their
 * process's end and by shutdown. An ended session's id is unknown from then on.
 */
final class GatewaySessions {

	/**
	 * Why no session was opened: too many (503), too many of one caller's (429), or the
	 * gateway is stopping (503).
	 */
	static final class Refused extends RuntimeException {

		private final int status;

		Refused(int status, String message) {
			super(message);
			this.status = status;
		}

		/** The HTTP status that says it. */
		int status() {
			return this.status;
		}

	}

	/** The subject of a session opened without authentication. */
	private static final String NOBODY = "";

	private final McpStdioServers servers;

	private final GatewaySettings settings;

	private final Messages messages;

	private final Clock clock;

	private final SessionIds ids;

	private final ProcessIds processIds = new ProcessIds();

	private final Map<String, GatewaySession> sessions = new ConcurrentHashMap<>();

	private final Map<String, Multiplex> multiplexes = new ConcurrentHashMap<>();

	private final SubjectProcesses subjectProcesses;

	/** The subject each session was opened by: no other subject's request finds it. */
	private final Map<String, String> subjects = new ConcurrentHashMap<>();

	/** Sessions open and opening by subject, within {@code max-sessions-per-subject}. */
	private final Map<String, AtomicInteger> bySubject = new ConcurrentHashMap<>();

	/** Sessions open and opening: the bound is checked before a process is taken. */
	private final AtomicInteger taken = new AtomicInteger();

	private volatile boolean stopping;

	private final GatewayObserver observer;

	GatewaySessions(McpStdioServers servers, GatewaySettings settings, Messages messages, Clock clock,
			GatewayObserver observer, SubjectProcesses subjectProcesses) {
		this.observer = observer;
		this.servers = servers;
		this.settings = settings;
		this.messages = messages;
		this.clock = clock;
		this.ids = new SessionIds(settings.instanceId());
		this.subjectProcesses = subjectProcesses;
	}

	/**
	 * Opens a session with a server: a process of its own, its subject's own process
	 * ({@code process-per: subject}), or the shared one.
	 * @param server the server's name
	 * @param principal the authenticated caller, null without authentication
	 * @param protocolVersion the revision negotiated
	 * @param capabilities what the client declared
	 * @return the session, bound to its channel
	 * @throws Refused past {@code max-sessions}, past {@code max-sessions-per-subject} or
	 * while the gateway stops
	 */
	GatewaySession open(String server, @Nullable Principal principal, String protocolVersion, Map<?, ?> capabilities) {
		String subject = (principal != null) ? principal.getName() : null;
		if (this.stopping) {
			throw new Refused(503, "the gateway is shutting down");
		}
		if (this.taken.incrementAndGet() > this.settings.maxSessions()) {
			this.taken.decrementAndGet();
			throw new Refused(503, "all mcp.stdio.gateway.max-sessions " + this.settings.maxSessions()
					+ " sessions are open; retry later, or raise mcp.stdio.gateway.max-sessions");
		}
		String owner = (subject != null) ? subject : NOBODY;
		int mine = this.bySubject.computeIfAbsent(owner, (key) -> new AtomicInteger()).incrementAndGet();
		if (subject != null && mine > this.settings.maxSessionsPerSubject()) {
			release(owner);
			throw new Refused(429, "the caller has all mcp.stdio.gateway.max-sessions-per-subject "
					+ this.settings.maxSessionsPerSubject() + " sessions open; end one (DELETE) or retry later");
		}
		SubjectProcess subjects;
		try {
			subjects = (principal != null && this.settings.perSubject(server))
					? this.subjectProcesses.reserve(server, principal) : null;
		}
		catch (RuntimeException ex) {
			release(owner);
			throw ex;
		}
		Multiplex multiplex = (subjects != null) ? subjects.multiplex()
				: this.servers.server(server).definition().keepAlive()
						? this.multiplexes.computeIfAbsent(server, (name) -> new Multiplex()) : null;
		GatewaySession session = new GatewaySession(this.ids.next(), server, protocolVersion, capabilities,
				this.messages, this.clock, this.settings.eventBuffer(), this.processIds, multiplex, this.observer,
				this::ended);
		McpStdioChannel channel;
		try {
			channel = (subjects != null) ? subjects.attach(session::fromProcess)
					: this.servers.openChannel(server, session::fromProcess);
		}
		catch (RuntimeException ex) {
			release(owner);
			throw ex;
		}
		this.subjects.put(session.id(), owner);
		this.sessions.put(session.id(), session);
		session.bind(channel);
		if (this.stopping) {
			session.end();
			throw new Refused(503, "the gateway is shutting down");
		}
		return session;
	}

	/** Gives back a session's places in the bounds. */
	private void release(String owner) {
		this.taken.decrementAndGet();
		this.bySubject.computeIfPresent(owner, (key, count) -> (count.decrementAndGet() > 0) ? count : null);
	}

	/**
	 * The open session of the id, or null; null too for a session another subject opened,
	 * as for one that never existed.
	 */
	@Nullable GatewaySession get(@Nullable String id, @Nullable String subject) {
		GatewaySession session = (id != null) ? this.sessions.get(id) : null;
		if (session == null || !this.subjects.getOrDefault(id, NOBODY).equals((subject != null) ? subject : NOBODY)) {
			return null;
		}
		return session;
	}

	private void ended(GatewaySession session) {
		if (this.sessions.remove(session.id(), session)) {
			String owner = this.subjects.remove(session.id());
			release((owner != null) ? owner : NOBODY);
		}
	}

	/** Ends the sessions idle past {@code session-idle-timeout} at that instant. */
	void endIdle(Instant now) {
		this.sessions.values()
			.stream()
			.filter((session) -> session.idleSince(now, this.settings.sessionIdleTimeout()))
			.toList()
			.forEach(GatewaySession::end);
	}

	/** Refuses new sessions (503); the open ones go on. */
	void refuseNew() {
		this.stopping = true;
	}

	/** Refuses new sessions and ends every open one. */
	void stop() {
		refuseNew();
		List.copyOf(this.sessions.values()).forEach(GatewaySession::end);
	}

	/** The requests in flight, over every open session. */
	int inFlight() {
		return this.sessions.values().stream().mapToInt(GatewaySession::inFlight).sum();
	}

	/**
	 * The processes serving a server's open sessions: its own, its subjects' or the
	 * shared one.
	 */
	int processes(String server) {
		return (int) this.sessions.values()
			.stream()
			.filter((session) -> session.server().equals(server))
			.mapToLong(GatewaySession::pid)
			.filter((pid) -> pid > 0)
			.distinct()
			.count();
	}

	boolean isStopping() {
		return this.stopping;
	}

	/** The open sessions of a server. */
	int count(String server) {
		return (int) this.sessions.values().stream().filter((session) -> session.server().equals(server)).count();
	}

	/** Every open session. */
	List<GatewaySession> all() {
		return List.copyOf(this.sessions.values());
	}

}
