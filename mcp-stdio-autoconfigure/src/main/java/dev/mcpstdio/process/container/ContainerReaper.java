package dev.mcpstdio.process.container;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes containers: one that the stop ladder ends ({@code rm -f}, then waits until the
 * engine lists it no more), and those that JVMs of our scope left when they died.
 */
final class ContainerReaper {

	private static final Logger logger = LoggerFactory.getLogger(ContainerReaper.class);

	/** How long the start-up sweep waits for each CLI command. */
	private static final Duration SWEEP_TIMEOUT = Duration.ofSeconds(20);

	private static final Duration POLL = Duration.ofMillis(50);

	private final Clock clock;

	private final Sleeper sleeper;

	private final ContainerOwner owner;

	ContainerReaper(Clock clock, Sleeper sleeper, ContainerOwner owner) {
		this.clock = clock;
		this.sleeper = sleeper;
		this.owner = owner;
	}

	/**
	 * Removes a container and waits until it is gone, up to the timeout; a removal still
	 * under way then finishes on its own.
	 * @param container the container
	 * @param timeout how long to wait at most
	 * @return whether the container is known to be gone
	 */
	boolean remove(Container container, Duration timeout) {
		Instant deadline = this.clock.instant().plus(timeout);
		EngineCli cli = container.cli();
		// the name the starter gave is known before the engine creates the
		// container, so a container that was being created when its CLI died is
		// found too
		List<String> targets = container.name().or(container::id).map(List::of).orElseGet(List::of);
		if (targets.isEmpty()) {
			targets = listed(container, left(deadline));
		}
		if (!targets.isEmpty()) {
			cli.run(cli.removeArguments(targets), left(deadline));
		}
		while (true) {
			Optional<List<String>> still = cli
				.run(List.of("ps", "-a", "-q", "--no-trunc", "--filter", container.runFilter()), left(deadline))
				.filter(EngineCli.Result::succeeded)
				.map(EngineCli.Result::lines);
			if (still.isPresent() && still.get().isEmpty()) {
				return true;
			}
			if (left(deadline).compareTo(POLL) <= 0) {
				logger.warn("{} may still exist: it was not gone within {}", container, timeout);
				return false;
			}
			if (still.isPresent()) {
				cli.run(cli.removeArguments(still.get()), left(deadline));
			}
			this.sleeper.sleep(POLL);
		}
	}

	/**
	 * Removes the containers that JVMs of our scope labelled and that outlived them:
	 * never a live JVM's, never a container without our labels.
	 * @param cli the engine's CLI
	 * @return how many containers were removed
	 */
	int sweep(EngineCli cli) {
		if (!this.owner.sweepable()) {
			return 0;
		}
		Optional<EngineCli.Result> listed = cli.run(List.of("ps", "-a", "-q", "--no-trunc", "--filter",
				"label=" + ContainerOwner.SCOPE_LABEL + "=" + this.owner.scope()), SWEEP_TIMEOUT);
		if (listed.isEmpty() || !listed.get().succeeded()) {
			logger.debug("Could not list the containers of {}: {}", cli.executable(),
					listed.map((result) -> result.output() + " " + result.errors()).orElse("no answer"));
			return 0;
		}
		if (listed.get().lines().isEmpty()) {
			return 0;
		}
		List<String> inspect = new ArrayList<>(List.of("inspect", "--format",
				"{{.Id}} {{index .Config.Labels \"" + ContainerOwner.OWNER_LABEL + "\"}}"));
		inspect.addAll(listed.get().lines());
		// a container removed meanwhile makes inspect fail but still print the others
		List<String> dead = new ArrayList<>();
		cli.run(inspect, SWEEP_TIMEOUT).map(EngineCli.Result::lines).orElseGet(List::of).forEach((line) -> {
			String[] parts = line.split(" ", 2);
			if (parts.length == 2 && ContainerOwner.isDead(parts[1])) {
				dead.add(parts[0]);
			}
		});
		if (dead.isEmpty()) {
			return 0;
		}
		logger.warn("Removing {} container(s) left by a JVM that died without stopping its MCP servers: {}",
				dead.size(), dead);
		cli.run(cli.removeArguments(dead), SWEEP_TIMEOUT);
		return dead.size();
	}

	private List<String> listed(Container container, Duration timeout) {
		return container.cli()
			.run(List.of("ps", "-a", "-q", "--no-trunc", "--filter", container.runFilter()), timeout)
			.filter(EngineCli.Result::succeeded)
			.map(EngineCli.Result::lines)
			.orElseGet(List::of);
	}

	private Duration left(Instant deadline) {
		Duration left = Duration.between(this.clock.instant(), deadline);
		return left.isNegative() ? Duration.ZERO : left;
	}

	/** Pauses between polls: injected so tests need not wait. */
	@FunctionalInterface
	interface Sleeper {

		/** Sleeps for real, restoring the interrupt flag if interrupted. */
		Sleeper REAL = (duration) -> {
			try {
				Thread.sleep(duration.toMillis());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		};

		void sleep(Duration duration);

	}

}
