package dev.mcpstdio.transport;

import dev.mcpstdio.transport.ConnectionState.State;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ConnectionStateTests {

	private final ConnectionState state = new ConnectionState();

	@Test
	void onlyTheFirstToLeaveConnectedReports() {
		assertThat(this.state.starting()).isTrue();
		this.state.connected();
		assertThat(this.state.leaveConnected(State.EXITED)).isTrue();
		assertThat(this.state.leaveConnected(State.STOPPING)).isFalse();
		assertThat(this.state.get()).isEqualTo(State.EXITED);
		assertThat(this.state.isConnected()).isFalse();
	}

	@Test
	void aConnectionStartsOnce() {
		assertThat(this.state.starting()).isTrue();
		assertThat(this.state.starting()).isFalse();
		assertThat(this.state.closeUnstarted()).isFalse();
	}

	@Test
	void anUnstartedConnectionClosesWithoutReporting() {
		assertThat(this.state.closeUnstarted()).isTrue();
		assertThat(this.state.starting()).isFalse();
		assertThat(this.state.leaveConnected(State.STOPPING)).isFalse();
	}

}
