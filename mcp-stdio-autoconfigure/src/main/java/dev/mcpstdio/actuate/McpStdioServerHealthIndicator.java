package dev.mcpstdio.actuate;

import dev.mcpstdio.server.McpStdioServer;
import dev.mcpstdio.server.ServerStatus;
import dev.mcpstdio.server.Startup;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/**
 * The health of one managed server, read from its latest status: it never blocks and
 * never starts a lazy server. UP: running and answering pings, or (keep-alive false)
 * ready to open sessions; DOWN: FAILED, exited and not restarted, pings failing, or
 * (keep-alive false) its last launch for a session failed; OUT_OF_SERVICE: starting,
 * stopping, backing off or stopped on purpose; UNKNOWN: lazy or idle, started on next
 * use. A {@code required: false} server reports {@link #OPTIONAL_DOWN} for DOWN and
 * {@link #OPTIONAL_OUT_OF_SERVICE} for OUT_OF_SERVICE.
 */
public class McpStdioServerHealthIndicator extends AbstractHealthIndicator {

	/**
	 * DOWN, of a {@code required: false} server. Spring Boot's status aggregation counts
	 * only the statuses of {@code management.endpoint.health.status.order}, so it leaves
	 * this one out, and the health endpoint answers it with 200 unless a
	 * {@code status.http-mapping} maps {@code optional-down}.
	 */
	public static final Status OPTIONAL_DOWN = new Status("OPTIONAL_DOWN",
			"required: false: left out of the mcpStdio status");

	/**
	 * OUT_OF_SERVICE, of a {@code required: false} server: left out as
	 * {@link #OPTIONAL_DOWN} is.
	 */
	public static final Status OPTIONAL_OUT_OF_SERVICE = new Status("OPTIONAL_OUT_OF_SERVICE",
			"required: false: left out of the mcpStdio status");

	private final McpStdioServer server;

	public McpStdioServerHealthIndicator(McpStdioServer server) {
		super("MCP server health check failed");
		this.server = server;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		ServerStatus status = this.server.status();
		boolean required = this.server.definition().required();
		builder.status(required ? status(status) : optional(status(status)));
		builder.withDetail("required", required);
		ServerDetails.health(status).forEach(builder::withDetail);
	}

	private static Status optional(Status status) {
		if (Status.DOWN.equals(status)) {
			return OPTIONAL_DOWN;
		}
		return Status.OUT_OF_SERVICE.equals(status) ? OPTIONAL_OUT_OF_SERVICE : status;
	}

	private Status status(ServerStatus status) {
		boolean keepAlive = this.server.definition().keepAlive();
		return switch (status.state()) {
			case RUNNING -> status.pings().failing() ? Status.DOWN : Status.UP;
			// keep-alive false: DOWN while its last launch for a session failed
			case ON_DEMAND -> (status.lastError() != null) ? Status.DOWN : Status.UP;
			case FAILED -> Status.DOWN;
			case STARTING, STOPPING, BACKOFF -> Status.OUT_OF_SERVICE;
			case STOPPED -> {
				if (status.stoppedOnPurpose()) {
					yield Status.OUT_OF_SERVICE;
				}
				if (status.everStarted() && status.lastError() != null) {
					yield Status.DOWN; // exited, and not restarted
				}
				boolean lazy = this.server.definition().startup() == Startup.LAZY;
				// lazy, or stopped while idle: it starts on its next use
				yield (keepAlive && (lazy || status.everStarted())) ? Status.UNKNOWN : Status.OUT_OF_SERVICE;
			}
		};
	}

}
