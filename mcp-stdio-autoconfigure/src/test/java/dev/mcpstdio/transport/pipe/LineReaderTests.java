package dev.mcpstdio.transport.pipe;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LineReaderTests {

	private final List<String> lines = new ArrayList<>();

	private final List<String> oversized = new ArrayList<>();

	@Test
	void readSplitsOnNewlineAndDropsCarriageReturn() throws IOException {
		read("one\ntwo\r\n\nthree", 100);
		assertThat(this.lines).containsExactly("one", "two", "", "three");
	}

	@Test
	void readDropsLineOverLimitAndKeepsTheNext() throws IOException {
		read("short\n" + "x".repeat(50_000) + "\nafter\n", 1000);
		assertThat(this.lines).containsExactly("short", "after");
		assertThat(this.oversized).containsExactly("x".repeat(200) + " (50000 bytes)");
	}

	@Test
	void readOfLineExactlyAtLimitKeepsIt() throws IOException {
		read("y".repeat(1000) + "\n", 1000);
		assertThat(this.lines).containsExactly("y".repeat(1000));
	}

	@Test
	void readOfHugeLineKeepsMemoryBoundedByLimit() throws IOException {
		// 64 MB without a newline through a 1 MB limit: the buffer never grows past the
		// limit
		int size = 64 * 1024 * 1024;
		java.io.InputStream huge = new java.io.InputStream() {
			int left = size;

			@Override
			public int read() {
				return (this.left-- > 0) ? 'z' : -1;
			}

			@Override
			public int read(byte[] b, int off, int len) {
				if (this.left <= 0) {
					return -1;
				}
				int n = Math.min(len, this.left);
				java.util.Arrays.fill(b, off, off + n, (byte) 'z');
				this.left -= n;
				return n;
			}
		};
		LineReader reader = new LineReader(huge, 1024 * 1024, listener());
		reader.readToEnd();
		assertThat(this.oversized).singleElement().asString().endsWith("(" + size + " bytes)");
	}

	@Test
	void readOfInvalidUtf8DecodesWithReplacement() throws IOException {
		byte[] bytes = { 'a', (byte) 0xC3, (byte) 0x28, 'b', '\n' };
		new LineReader(new ByteArrayInputStream(bytes), 100, listener()).readToEnd();
		assertThat(this.lines).containsExactly("a\uFFFD(b");
	}

	private void read(String text, int max) throws IOException {
		new LineReader(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), max, listener()).readToEnd();
	}

	private LineReader.Listener listener() {
		return new LineReader.Listener() {
			@Override
			public void onLine(byte[] bytes, int length) {
				LineReaderTests.this.lines.add(new String(bytes, 0, length, StandardCharsets.UTF_8));
			}

			@Override
			public void onOversizedLine(String start, long length) {
				LineReaderTests.this.oversized.add(start + " (" + length + " bytes)");
			}
		};
	}

}
