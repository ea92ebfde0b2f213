package dev.mcpstdio.gateway;

import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every observer of the gateway's, each guarded: one that throws is logged, never felt.
 */
final class Observers implements GatewayObserver {

	private static final Logger logger = LoggerFactory.getLogger(Observers.class);

	private final List<GatewayObserver> observers;

	Observers(List<GatewayObserver> observers) {
		this.observers = observers;
	}

	@Override
	public void request(String server, String method, Outcome outcome) {
		for (GatewayObserver observer : this.observers) {
			try {
				observer.request(server, method, outcome);
			}
			catch (RuntimeException ex) {
				logger.warn("An observer of the MCP gateway failed", ex);
			}
		}
	}

	@Override
	public void replayed(String server, int events) {
		for (GatewayObserver observer : this.observers) {
			try {
				observer.replayed(server, events);
			}
			catch (RuntimeException ex) {
				logger.warn("An observer of the MCP gateway failed", ex);
			}
		}
	}

}
