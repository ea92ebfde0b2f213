package dev.mcpstdio.server;

import java.time.Duration;
import java.util.List;

import dev.mcpstdio.process.ProcessSpec;
import dev.mcpstdio.transport.StdioTransportOptions;

/**
 * Everything that defines one managed server, as configured, in groups: what to launch,
 * how to talk to it (its request timeout among them, its one source), when it runs, how
 * it is restarted and how its health is checked. Built with
 * {@link #builder(ProcessSpec)}.
 *
 * @param name the server's name
 * @param processSpec what to launch
 * @param transportOptions framing, stderr, the stop ladder and the request timeout
 * @param lifecycle when it runs
 * @param sessions the processes of a server with {@code keep-alive: false}
 * @param restart how it is restarted
 * @param health how its health is checked
 */
public record ServerDefinition(String name, ProcessSpec processSpec, StdioTransportOptions transportOptions,
		ServerLifecycleSettings lifecycle, SessionSettings sessions, RestartSettings restart, HealthSettings health) {

	/** A definition with the defaults of DESIGN.md for everything but what to launch. */
	public static ServerDefinition of(ProcessSpec spec) {
		return builder(spec).build();
	}

	/**
	 * A builder that starts from the defaults of DESIGN.md.
	 * @param spec what to launch; its name is the server's
	 * @return the builder
	 */
	public static Builder builder(ProcessSpec spec) {
		return new Builder(spec);
	}

	/** A builder that starts from this definition. */
	public Builder toBuilder() {
		return new Builder(this.processSpec).transportOptions(this.transportOptions)
			.lifecycle(this.lifecycle)
			.sessions(this.sessions)
			.restart(this.restart)
			.health(this.health);
	}

	public boolean keepAlive() {
		return this.lifecycle.keepAlive();
	}

	public Duration idleTimeout() {
		return this.lifecycle.idleTimeout();
	}

	public Startup startup() {
		return this.lifecycle.startup();
	}

	public boolean required() {
		return this.lifecycle.required();
	}

	public List<String> dependsOn() {
		return this.lifecycle.dependsOn();
	}

	public Duration initializeTimeout() {
		return this.lifecycle.initializeTimeout();
	}

	/** How long a request may take: the transport's, the one source of it. */
	public Duration requestTimeout() {
		return this.transportOptions.requestTimeout();
	}

	/** The same server launched as another spec says (one caller's own process). */
	public ServerDefinition withProcessSpec(ProcessSpec spec) {
		return new Builder(spec).transportOptions(this.transportOptions)
			.lifecycle(this.lifecycle)
			.sessions(this.sessions)
			.restart(this.restart)
			.health(this.health)
			.build();
	}

	public ServerDefinition withKeepAlive(boolean keepAlive) {
		ServerLifecycleSettings l = this.lifecycle;
		return toBuilder()
			.lifecycle(new ServerLifecycleSettings(keepAlive, l.idleTimeout(), l.startup(), l.required(), l.dependsOn(),
					l.initializeTimeout()))
			.build();
	}

	/** Builds a {@link ServerDefinition}, each group defaulting to DESIGN.md's. */
	public static final class Builder {

		private final ProcessSpec processSpec;

		private StdioTransportOptions transportOptions = StdioTransportOptions.defaults();

		private ServerLifecycleSettings lifecycle = ServerLifecycleSettings.defaults();

		private SessionSettings sessions = SessionSettings.defaults();

		private RestartSettings restart = RestartSettings.defaults();

		private HealthSettings health = HealthSettings.defaults();

		private Builder(ProcessSpec processSpec) {
			this.processSpec = processSpec;
		}

		public Builder transportOptions(StdioTransportOptions transportOptions) {
			this.transportOptions = transportOptions;
			return this;
		}

		public Builder lifecycle(ServerLifecycleSettings lifecycle) {
			this.lifecycle = lifecycle;
			return this;
		}

		public Builder sessions(SessionSettings sessions) {
			this.sessions = sessions;
			return this;
		}

		public Builder restart(RestartSettings restart) {
			this.restart = restart;
			return this;
		}

		public Builder health(HealthSettings health) {
			this.health = health;
			return this;
		}

		public ServerDefinition build() {
			return new ServerDefinition(this.processSpec.name(), this.processSpec, this.transportOptions,
					this.lifecycle, this.sessions, this.restart, this.health);
		}

	}

}
