package dev.mcpstdio.transport;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.mcpstdio.transport.inflight.CancelledRequests;
import dev.mcpstdio.transport.inflight.InFlightRequests;
import dev.mcpstdio.transport.observation.RequestObserver;
import dev.mcpstdio.transport.pipe.LineReader;
import dev.mcpstdio.transport.pipe.Redactor;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCMessage;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whatever a child writes on stdout, through {@link LineReader} into the
 * {@link StdoutDecoder}, with requests in flight. The fuzz test replays its seeds (under
 * {@code src/test/resources/dev/mcpstdio/transport/StdoutDecoderTestsInputs}) in every
 * test run, and is fuzzed by Jazzer for a bounded time in the {@code fuzz} execution of
 * {@code verify}.
 */
@ExtendWith(OutputCaptureExtension.class)
class StdoutDecoderTests {

	/**
	 * The ids of the requests in flight when the child starts writing: numbers and
	 * strings.
	 */
	private static final List<Object> IDS = List.of(1, 2, 3, "a-1", "a-2", "7f3c-0");

	private static final String METHOD = "tools/call#";

	private static final Totals totals = new Totals();

	@BeforeAll
	static void quiet() {
		// each bad line is a WARN: millions of them would be all the fuzzer does
		decoderLogger().setLevel(Level.OFF);
	}

	@AfterAll
	static void report() {
		decoderLogger().setLevel(null);
		System.out.println("stdout decoder: " + totals);
	}

	/**
	 * The input: byte 0 sets max-message-size ({@code 16 + 16 * b}), byte 1 how many
	 * bytes each read returns ({@code 1 + 4 * b}), the rest is what the child writes.
	 */
	@FuzzTest(maxDuration = "30s")
	// in libFuzzer's dictionary syntax: \xAB is a byte, \\ a backslash
	@DictionaryEntries({ "{\"jsonrpc\":\"2.0\",", "\"id\":", "\"result\":{}", "\"error\":{\"code\":-32600,",
			"\"message\":\"", "\"method\":\"", "\"params\":", "\"a-1\"", "\"7f3c-0\"", "null", "\\x0D\\x0A",
			"\\\\u0000", "[[[[[[[[", "\\xC3\\x28", "\\xFF" })
	void anythingOnStdoutKeepsMemoryBoundedAndAnswersOnlyRequestsInFlight(byte[] input) throws IOException {
		int maxMessageSize = 16 + 16 * ((input.length > 0) ? input[0] & 0xFF : 32);
		int readSize = 1 + 4 * ((input.length > 1) ? input[1] & 0xFF : 255);
		Run run = new Run(maxMessageSize);
		run.read(new ByteArrayInputStream(input, Math.min(2, input.length), Math.max(0, input.length - 2)), readSize);
		run.assertConsistent();
		totals.add(run);
	}

	@Test
	void deeplyNestedJsonIsALineThatIsNotJsonRpc() throws IOException {
		Run run = new Run(1024 * 1024);
		run.read(lines("[".repeat(100_000), "{\"a\":".repeat(50_000) + "1" + "}".repeat(50_000),
				"{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}"), 8192);
		run.assertConsistent();
		assertThat(run.decoder.invalidLineCount()).isEqualTo(2);
		assertThat(run.answered).containsExactly("1");
	}

	@Test
	void answersForNoRequestInFlightAreDroppedAndEachRequestIsAnsweredOnce() throws IOException {
		Run run = new Run(4096);
		run.read(lines("{\"jsonrpc\":\"2.0\",\"id\":99,\"result\":{}}",
				"{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32700,\"message\":\"Parse error\"}}",
				"{\"jsonrpc\":\"2.0\",\"id\":\"a-1\",\"result\":{}}",
				"{\"jsonrpc\":\"2.0\",\"id\":\"a-1\",\"result\":{}}",
				"{\"jsonrpc\":\"2.0\",\"id\":\"2\",\"error\":{\"code\":1,\"message\":\"no\"}}"), 8192);
		run.assertConsistent();
		assertThat(run.answered).containsExactly("a-1", "2");
		assertThat(run.inFlight.size()).isEqualTo(IDS.size() - 2);
		assertThat(run.decoder.invalidLineCount()).as("the SDK refuses a null id").isEqualTo(1);
	}

	@Test
	void lateAnswerAndProgressOfACancelledRequestAreDroppedQuietly(CapturedOutput output) throws IOException {
		Run run = new Run(4096);
		run.cancelled.add("late", "token-7");
		decoderLogger().setLevel(Level.DEBUG);
		try {
			run.read(lines("{\"jsonrpc\":\"2.0\",\"id\":\"late\",\"result\":{}}",
					"{\"jsonrpc\":\"2.0\",\"method\":\"notifications/progress\",\"params\":{\"progressToken\":\"token-7\","
							+ "\"progress\":1}}",
					"{\"jsonrpc\":\"2.0\",\"method\":\"notifications/progress\",\"params\":{\"progressToken\":\"token-8\","
							+ "\"progress\":1}}",
					"{\"jsonrpc\":\"2.0\",\"id\":\"stranger\",\"result\":{}}"), 8192);
		}
		finally {
			decoderLogger().setLevel(Level.OFF);
		}
		assertThat(run.delivered).singleElement()
			.satisfies((message) -> assertThat(message).hasToString(
					"JSONRPCNotification[jsonrpc=2.0, method=notifications/progress, params={progressToken=token-8, progress=1}]"));
		assertThat(output.getOut())
			.contains("DEBUG", "answered request id late after it was cancelled: dropped",
					"reported progress token-7 of a cancelled request: dropped")
			.doesNotContain("request id late, which is not in flight")
			.contains("WARN", "answered request id stranger, which is not in flight");
	}

	@Test
	void anOversizedAnswerFailsItsRequestAndTheNextLineIsRead() throws IOException {
		Run run = new Run(64);
		String answer = "{\"jsonrpc\":\"2.0\",\"id\":3,\"result\":{\"text\":\"" + "x".repeat(1000) + "\"}}";
		run.read(lines(answer, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/message\"}"), 7);
		run.assertConsistent();
		assertThat(run.decoder.oversizedMessageCount()).isEqualTo(1);
		assertThat(run.answered).containsExactly("3");
		assertThat(((JSONRPCResponse) run.delivered.get(0)).error().message())
			.contains("answered request 'tools/call#3' with a message of " + answer.length()
					+ " bytes, over max-message-size 64");
		assertThat(run.delivered).hasSize(2);
	}

	private static InputStream lines(String... lines) {
		return new ByteArrayInputStream((String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
	}

	private static Logger decoderLogger() {
		return (Logger) LoggerFactory.getLogger(StdoutDecoder.class);
	}

	/** One child's output read to its end, and what it did to the requests in flight. */
	private static final class Run implements RequestObserver {

		private final int maxMessageSize;

		private final InFlightRequests inFlight = new InFlightRequests("fuzzed", this);

		private final StdoutDecoder decoder;

		private final CancelledRequests cancelled = new CancelledRequests();

		private final List<JSONRPCMessage> delivered = new ArrayList<>();

		/** The ids of the answers passed on, as text. */
		private final List<String> answered = new ArrayList<>();

		/** The ids the observer was told completed, as text. */
		private final List<String> completed = new ArrayList<>();

		private long invalid;

		private long lines;

		Run(int maxMessageSize) {
			this.maxMessageSize = maxMessageSize;
			// each request's method names its id, so the observer knows which one
			// completed
			IDS.forEach((id) -> this.inFlight.add(id, METHOD + id, Duration.ZERO));
			this.decoder = new StdoutDecoder("fuzzed", maxMessageSize, McpJsonDefaults.getMapper(), this.inFlight,
					this.cancelled, ToolPolicy.ALL, true, this, new Redactor(List.of()), this::deliver);
		}

		void read(InputStream written, int readSize) throws IOException {
			// the reader gets what a pipe gives: a few bytes at a time
			InputStream pipe = new FilterInputStream(written) {
				@Override
				public int read(byte[] b, int off, int len) throws IOException {
					return super.read(b, off, Math.min(len, readSize));
				}
			};
			new LineReader(pipe, this.maxMessageSize, new LineReader.Listener() {
				@Override
				public void onLine(byte[] bytes, int length) {
					assertThat(bytes.length).as("the line buffer").isLessThanOrEqualTo(maxMessageSize);
					Run.this.lines++;
					Run.this.decoder.onLine(bytes, length);
				}

				@Override
				public void onOversizedLine(String start, long length) {
					assertThat(length).isGreaterThan(maxMessageSize);
					Run.this.lines++;
					Run.this.decoder.onOversizedLine(start, length);
				}
			}).readToEnd();
		}

		private void deliver(JSONRPCMessage message) {
			this.delivered.add(message);
			if (message instanceof JSONRPCResponse response) {
				this.answered.add(String.valueOf(response.id()));
			}
		}

		void assertConsistent() {
			Set<String> ids = new HashSet<>();
			IDS.forEach((id) -> ids.add(String.valueOf(id)));
			assertThat(this.answered).as("answers passed on").doesNotHaveDuplicates().isSubsetOf(ids);
			assertThat(this.completed).as("requests completed").containsExactlyElementsOf(this.answered);
			assertThat(this.inFlight.size()).as("still in flight").isEqualTo(IDS.size() - this.answered.size());
			assertThat(this.decoder.invalidLineCount()).isEqualTo(this.invalid);
		}

		@Override
		public void requestCompleted(String server, String method, Duration duration, Outcome outcome) {
			this.completed.add(method.substring(METHOD.length()));
		}

		@Override
		public void invalidLine(String server) {
			this.invalid++;
		}

	}

	/** What all the runs of this JVM read, for the build's log. */
	private static final class Totals {

		private final AtomicLong runs = new AtomicLong();

		private final AtomicLong lines = new AtomicLong();

		private final AtomicLong invalid = new AtomicLong();

		private final AtomicLong oversized = new AtomicLong();

		private final AtomicLong answers = new AtomicLong();

		void add(Run run) {
			this.runs.incrementAndGet();
			this.lines.addAndGet(run.lines);
			this.invalid.addAndGet(run.decoder.invalidLineCount());
			this.oversized.addAndGet(run.decoder.oversizedMessageCount());
			this.answers.addAndGet(run.answered.size());
		}

		@Override
		public String toString() {
			return this.runs + " inputs, " + this.lines + " lines: " + this.invalid + " not JSON-RPC, " + this.oversized
					+ " over max-message-size, " + this.answers + " answers to requests in flight";
		}

	}

}
