package dev.mcpstdio.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A brief run of every measure, only to check that the benchmarks work: figures are not
 * asserted, but what must hold whatever the speed is (no failed call, no process left)
 * is.
 */
class BenchmarksSmokeTests {

	@TempDir
	Path dir;

	@Test
	void everyMeasureRunsAndTheTableIsWritten() throws Exception {
		Benchmarks benchmarks = new Benchmarks(Benchmarks.Settings.SMOKE);
		List<Row> rows = benchmarks.run();
		assertThat(rows).hasSize(28);
		assertThat(rows).allSatisfy((row) -> assertThat(row.ours()).isNotBlank());
		assertThat(rows).filteredOn((row) -> row.measure().startsWith("2."))
			.allSatisfy((row) -> assertThat(row.ours()).endsWith(", 0 failed"));
		assertThat(rows).filteredOn((row) -> row.measure().startsWith("6."))
			.singleElement()
			.satisfies((row) -> assertThat(row.ours()).endsWith(", 0 left"));
		assertThat(rows).filteredOn((row) -> row.measure().startsWith("9."))
			.singleElement()
			.satisfies((row) -> assertThat(row.met()).isTrue());
		assertThat(rows).filteredOn((row) -> row.measure().startsWith("10."))
			.singleElement()
			.satisfies((row) -> assertThat(row.ours()).endsWith(", 0 left"));
		assertThat(rows).filteredOn((row) -> row.measure().startsWith("13."))
			.singleElement()
			.satisfies((row) -> assertThat(row.met()).isTrue());
		assertThat(rows).filteredOn((row) -> row.measure().startsWith("15."))
			.singleElement()
			.satisfies((row) -> assertThat(row.met()).as(row.ours()).isTrue());
		assertThat(rows).filteredOn((row) -> row.measure().startsWith("18."))
			.singleElement()
			.satisfies((row) -> assertThat(row.ours()).contains("pids kept, 0 failed of"));
		assertThat(rows).filteredOn((row) -> row.measure().startsWith("21."))
			.singleElement()
			.satisfies((row) -> assertThat(row.ours())
				.matches(".*: \\d+ calls/s, 0 failed; .*: \\d+ calls/s, 0 failed, 0 left"));
		assertThat(rows).filteredOn((row) -> row.measure().matches("2[0-2]\\..*"))
			.hasSize(3)
			.allSatisfy((row) -> assertThat(row.stock()).as("supergateway installed and measured")
				.startsWith("supergateway " + Supergateway.VERSION)
				.contains("of its processes left after its exit"));
		assertThat(rows).filteredOn((row) -> row.measure().startsWith("23."))
			.singleElement()
			.satisfies((row) -> assertThat(row.ours()).endsWith("a session without the token: 401"));
		assertThat(rows).filteredOn((row) -> row.measure().startsWith("24."))
			.singleElement()
			.satisfies((row) -> assertThat(row.ours()).as("nginx installed and measured").startsWith("through nginx"));
		assertThat(rows).filteredOn((row) -> row.measure().startsWith("25."))
			.singleElement()
			.satisfies((row) -> assertThat(row.ours() + row.floor()).contains(", 0 failed")
				.doesNotContainPattern("[1-9]\\d* failed"));
		assertThat(rows).filteredOn((row) -> row.measure().startsWith("26."))
			.singleElement()
			.satisfies((row) -> assertThat(row.ours()).containsPattern(" MB \\([1-9]\\d* processes"));
		String table = Benchmarks.markdown(rows);
		assertThat(table).startsWith("| measure |").contains("7. footprint");
		Path json = benchmarks.write(rows, this.dir.resolve("benchmarks.json"));
		assertThat(Files.readString(json)).contains("\"measure\"", "\"machine\"");
	}

}
