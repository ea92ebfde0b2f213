package dev.mcpstdio.gateway;

import java.time.Clock;
import java.util.Map;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCNotification;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCRequest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What sessions on one shared process set on it, each for itself: logging levels and
 * resource subscriptions.
 */
class MultiplexTests {

	private final Multiplex multiplex = new Multiplex();

	private final GatewaySession verbose = session("a");

	private final GatewaySession quiet = session("b");

	@Test
	void theProcessGetsTheMostVerboseLevelAndEachSessionItsOwnAndAbove() {
		assertThat(level(this.multiplex.params(this.quiet, setLevel("error")))).isEqualTo("error");
		assertThat(level(this.multiplex.params(this.verbose, setLevel("debug")))).isEqualTo("debug");
		assertThat(level(this.multiplex.params(this.quiet, setLevel("warning")))).as("another's debug still holds")
			.isEqualTo("debug");
		assertThat(this.multiplex.wanted(this.verbose, log("info"))).isTrue();
		assertThat(this.multiplex.wanted(this.quiet, log("info"))).isFalse();
		assertThat(this.multiplex.wanted(this.quiet, log("critical"))).isTrue();
		assertThat(this.multiplex.wanted(session("c"), log("debug"))).as("a session that set none").isTrue();
		this.multiplex.ended(this.verbose);
		assertThat(level(this.multiplex.params(this.quiet, setLevel("warning")))).isEqualTo("warning");
	}

	@Test
	void theProcessIsSubscribedWhileAnySessionIsAndUpdatesGoToSubscribersOnly() {
		assertThat(this.multiplex.answersItself(this.verbose, subscribe("resources/subscribe", "file:///a")))
			.as("the first subscriber's goes to the process")
			.isFalse();
		assertThat(this.multiplex.answersItself(this.quiet, subscribe("resources/subscribe", "file:///a")))
			.as("the second's is answered by the gateway")
			.isTrue();
		assertThat(this.multiplex.wanted(this.quiet, updated("file:///a"))).isTrue();
		assertThat(this.multiplex.wanted(this.quiet, updated("file:///b"))).isFalse();
		assertThat(this.multiplex.answersItself(this.verbose, subscribe("resources/unsubscribe", "file:///a")))
			.as("another still holds it")
			.isTrue();
		assertThat(this.multiplex.wanted(this.verbose, updated("file:///a"))).isFalse();
		assertThat(this.multiplex.answersItself(this.quiet, subscribe("resources/unsubscribe", "file:///a")))
			.as("the last one's goes to the process")
			.isFalse();
		assertThat(this.multiplex.answersItself(this.quiet, subscribe("resources/unsubscribe", "file:///a")))
			.as("one of a uri not subscribed")
			.isTrue();
	}

	private static GatewaySession session(String id) {
		return new GatewaySession(id, "shared", "2025-11-25", Map.of(), new Messages(McpJsonDefaults.getMapper()),
				Clock.systemUTC(), 8, new ProcessIds(), null, GatewayObserver.NONE, (session) -> {
				});
	}

	private static JSONRPCRequest setLevel(String level) {
		return new JSONRPCRequest("2.0", "logging/setLevel", 1, Map.of("level", level));
	}

	private static JSONRPCRequest subscribe(String method, String uri) {
		return new JSONRPCRequest("2.0", method, 1, Map.of("uri", uri));
	}

	private static JSONRPCNotification log(String level) {
		return new JSONRPCNotification("2.0", "notifications/message", Map.of("level", level, "data", "x"));
	}

	private static JSONRPCNotification updated(String uri) {
		return new JSONRPCNotification("2.0", "notifications/resources/updated", Map.of("uri", uri));
	}

	private static Object level(Object params) {
		return ((Map<?, ?>) params).get("level");
	}

}
