package dev.mcpstdio.process.sandbox;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ResourceLimitsTests {

	private static final ResourceLimits ALL = new ResourceLimits(512L << 20, Duration.ofMillis(1500), 100, 256,
			1L << 30);

	@Test
	void prlimitSetsSoftAndHardOfEachLimit() {
		assertThat(ALL.prlimitOptions()).containsExactly("--data=536870912", "--cpu=2:3", "--nproc=100", "--nofile=256",
				"--fsize=1073741824");
		assertThat(ResourceLimits.NONE.prlimitOptions()).isEmpty();
		assertThat(ResourceLimits.NONE.any()).isFalse();
	}

	@Test
	void containerGetsTheEnginesOptions() {
		assertThat(ALL.runOptions()).containsExactly("--memory=536870912b", "--pids-limit=100", "--ulimit=cpu=2:3",
				"--ulimit=nofile=256:256", "--ulimit=fsize=1073741824:1073741824");
	}

	@Test
	void bytesAreShownAsAUserWritesThem() {
		assertThat(ResourceLimits.bytes(128L << 20)).isEqualTo("128MB");
		assertThat(ResourceLimits.bytes(2L << 30)).isEqualTo("2GB");
		assertThat(ResourceLimits.bytes(1536)).isEqualTo("1536B");
		assertThat(ResourceLimits.bytes(1000)).isEqualTo("1000B");
	}

}
