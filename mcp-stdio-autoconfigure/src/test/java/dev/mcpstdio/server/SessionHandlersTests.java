package dev.mcpstdio.server;

import java.util.function.Function;

import io.modelcontextprotocol.spec.McpSchema.JSONRPCMessage;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which session's handler an answer goes to, by the prefix of its request id.
 */
class SessionHandlersTests {

	private final SessionHandlers sessions = new SessionHandlers();

	private final Function<Mono<JSONRPCMessage>, Mono<JSONRPCMessage>> latest = (message) -> message;

	@Test
	void answerGoesToTheSessionThatSentItsRequestEvenAfterANewSessionOpened() {
		Function<Mono<JSONRPCMessage>, Mono<JSONRPCMessage>> old = handler();
		Function<Mono<JSONRPCMessage>, Mono<JSONRPCMessage>> current = handler();
		assertThat(old).isNotSameAs(current);
		this.sessions.opened("1717b858-0", old);
		this.sessions.opened("9c0ffee1-0", current);
		assertThat(this.sessions.of("1717b858-3", this.latest)).isSameAs(old);
		assertThat(this.sessions.of("9c0ffee1-1", this.latest)).isSameAs(current);
	}

	@Test
	void idOfAnotherFormOrOfAnUnknownSessionGoesToTheFallback() {
		this.sessions.opened("1717b858-0", handler());
		assertThat(this.sessions.of(42, this.latest)).isSameAs(this.latest);
		assertThat(this.sessions.of("no-dash-known-3", this.latest)).isSameAs(this.latest);
		assertThat(this.sessions.of("-3", this.latest)).isSameAs(this.latest);
	}

	@Test
	void onlyTheLatestSessionsAreKept() {
		Function<Mono<JSONRPCMessage>, Mono<JSONRPCMessage>> first = handler();
		this.sessions.opened("s0-0", first);
		for (int i = 1; i <= 4; i++) {
			this.sessions.opened("s" + i + "-0", handler());
		}
		assertThat(this.sessions.of("s0-5", this.latest)).isSameAs(this.latest);
		assertThat(this.sessions.of("s1-5", this.latest)).isNotSameAs(this.latest);
	}

	/**
	 * A handler of its own: a lambda that captures nothing would be one instance for all.
	 */
	private static Function<Mono<JSONRPCMessage>, Mono<JSONRPCMessage>> handler() {
		return new Function<>() {

			@Override
			public Mono<JSONRPCMessage> apply(Mono<JSONRPCMessage> message) {
				return message;
			}

		};
	}

}
