package dev.mcpstdio.gateway;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The replay buffer: bounded, by stream, ids that name their place.
 */
class EventLogTests {

	@Test
	void aPositionReplaysTheRestOfItsOwnStreamOnly() {
		EventLog log = new EventLog(10);
		EventLog.Event first = log.append("r1", "a");
		log.append("g", "b");
		log.append("r1", "c");
		assertThat(first.id()).isEqualTo("r1_1");
		EventLog.Position position = EventLog.Position.of(first.id());
		assertThat(log.after(position)).extracting(EventLog.Event::json).containsExactly("c");
	}

	@Test
	void theBufferKeepsTheLastEventsAndCountsWhatItDropped() {
		EventLog log = new EventLog(3);
		for (int i = 0; i < 5; i++) {
			log.append("g", "e" + i);
		}
		assertThat(log.after(new EventLog.Position("g", 0))).extracting(EventLog.Event::json)
			.containsExactly("e2", "e3", "e4");
		assertThat(log.dropped()).isEqualTo(2);
	}

	@Test
	void idsTheGatewayDidNotIssueNameNoPosition() {
		for (String id : List.of("", "x", "_3", "r1_", "r1_x", "abc::123")) {
			assertThat(EventLog.Position.of(id)).as(id).isNull();
		}
		assertThat(EventLog.Position.of(null)).isNull();
		assertThat(EventLog.Position.of("r_2_7")).isEqualTo(new EventLog.Position("r_2", 7));
	}

}
