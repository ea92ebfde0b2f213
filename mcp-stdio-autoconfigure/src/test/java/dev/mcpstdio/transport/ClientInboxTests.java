package dev.mcpstdio.transport;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

import dev.mcpstdio.transport.inflight.InFlightRequests;
import dev.mcpstdio.transport.observation.McpClientObservations;
import dev.mcpstdio.transport.observation.McpServerRequestContext;
import dev.mcpstdio.transport.observation.RequestObserver;
import dev.mcpstdio.transport.observation.ServerRequestObservations;
import io.micrometer.observation.Observation;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCMessage;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCRequest;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.publisher.Mono;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Where a connection's messages for the client go: the client's handler, the observation
 * of a request of the server's around it, the held caller released after it.
 */
@ExtendWith(OutputCaptureExtension.class)
class ClientInboxTests {

	private static final JSONRPCResponse ANSWER = new JSONRPCResponse(McpSchema.JSONRPC_VERSION, 7, Map.of(), null);

	private final TestObservationRegistry registry = TestObservationRegistry.create();

	private final InFlightRequests inFlight = new InFlightRequests("inbox", RequestObserver.NONE);

	private final ClientInbox inbox = new ClientInbox("inbox",
			new ServerRequestObservations("inbox", new McpClientObservations(this.registry, null)), this.inFlight);

	private final List<JSONRPCMessage> received = new CopyOnWriteArrayList<>();

	@Test
	void messageIsHandedToTheHandlerTheClientGaveOnConnect() {
		this.inbox.connect((messages) -> messages.doOnNext(this.received::add));
		this.inbox.deliver(ANSWER);
		assertThat(this.received).containsExactly(ANSWER);
	}

	@Test
	void answerReleasesTheCallerHeldForItOnceDelivered() {
		CountDownLatch held = this.inFlight.callers().watch(7);
		List<Long> countWhenDelivered = new CopyOnWriteArrayList<>();
		this.inbox.connect((messages) -> messages.doOnNext((message) -> countWhenDelivered.add(held.getCount())));
		this.inbox.deliver(ANSWER);
		assertThat(countWhenDelivered).containsExactly(1L);
		assertThat(held.getCount()).isZero();
	}

	@Test
	void answerBeforeTheClientConnectedIsDroppedAndItsCallerReleased() {
		CountDownLatch held = this.inFlight.callers().watch(7);
		this.inbox.deliver(ANSWER);
		assertThat(held.getCount()).isZero();
	}

	@Test
	void requestOfTheServerIsHandedOverInsideItsObservation() {
		List<Observation> current = new CopyOnWriteArrayList<>();
		this.inbox
			.connect((messages) -> messages.doOnNext((message) -> current.add(this.registry.getCurrentObservation())));
		this.inbox.deliver(new JSONRPCRequest(McpSchema.JSONRPC_VERSION, McpSchema.METHOD_ROOTS_LIST, "s-1", null));
		assertThat(current).singleElement()
			.satisfies((observation) -> assertThat(observation.getContext()).isInstanceOf(McpServerRequestContext.class)
				.extracting((context) -> ((McpServerRequestContext) context).getMethod())
				.isEqualTo(McpSchema.METHOD_ROOTS_LIST));
		assertThat(this.registry.getCurrentObservation()).isNull();
	}

	@Test
	void handlerThatThrowsIsLoggedAndNeverThrownIntoTheReader(CapturedOutput output) {
		this.inbox.connect((messages) -> {
			throw new IllegalStateException("handler broken");
		});
		this.inbox.deliver(ANSWER);
		assertThat(output).contains("MCP server 'inbox': handling response failed").contains("handler broken");
	}

	@Test
	void handlerThatFailsLaterIsLogged(CapturedOutput output) {
		this.inbox.connect((messages) -> Mono.error(new IllegalStateException("handler failed")));
		this.inbox.deliver(ANSWER);
		assertThat(output).contains("MCP server 'inbox': handling response failed").contains("handler failed");
	}

}
