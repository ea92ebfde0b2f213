package dev.mcpstdio.transport.pipe;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Splits a stream into newline-delimited lines of at most a given number of bytes,
 * holding no more than that in memory for a line (besides an 8 KB read buffer): a longer
 * line is reported by its first bytes and its length, and the rest of it skipped.
 */
public final class LineReader {

	private static final int CHUNK = 8192;

	/** The line buffer's first size: it grows, up to the limit, only for longer lines. */
	private static final int INITIAL = 1024;

	private final InputStream in;

	private final int maxLineBytes;

	private final Listener listener;

	private byte[] line;

	private int length;

	private long oversize = -1;

	public LineReader(InputStream in, int maxLineBytes, Listener listener) {
		this.in = in;
		this.maxLineBytes = maxLineBytes;
		this.listener = listener;
		this.line = new byte[Math.min(INITIAL, maxLineBytes)];
	}

	/**
	 * Reads until the end of the stream, calling the listener for each line.
	 * @throws IOException if reading fails
	 */
	public void readToEnd() throws IOException {
		byte[] chunk = new byte[CHUNK];
		int read;
		while ((read = this.in.read(chunk)) != -1) {
			int start = 0;
			for (int i = 0; i < read; i++) {
				if (chunk[i] == '\n') {
					append(chunk, start, i - start);
					endLine();
					start = i + 1;
				}
			}
			append(chunk, start, read - start);
		}
		if (this.length > 0 || this.oversize > 0) {
			endLine();
		}
	}

	private void append(byte[] bytes, int offset, int count) {
		if (count == 0) {
			return;
		}
		if (this.oversize >= 0) {
			this.oversize += count;
			return;
		}
		if (this.length + count > this.maxLineBytes) {
			int kept = this.maxLineBytes - this.length;
			ensureCapacity(this.maxLineBytes);
			System.arraycopy(bytes, offset, this.line, this.length, kept);
			this.length = this.maxLineBytes;
			this.oversize = this.maxLineBytes + (long) (count - kept);
			return;
		}
		ensureCapacity(this.length + count);
		System.arraycopy(bytes, offset, this.line, this.length, count);
		this.length += count;
	}

	private void ensureCapacity(int capacity) {
		if (capacity > this.line.length) {
			int grown = (int) Math.min(this.maxLineBytes, Math.max(capacity, 2L * this.line.length));
			this.line = Arrays.copyOf(this.line, grown);
		}
	}

	private void endLine() {
		int end = this.length;
		if (end > 0 && this.line[end - 1] == '\r') {
			end--;
		}
		if (this.oversize >= 0) {
			this.listener.onOversizedLine(new String(this.line, 0, Math.min(end, 200), StandardCharsets.UTF_8),
					this.oversize);
		}
		else {
			this.listener.onLine(this.line, end);
		}
		this.length = 0;
		this.oversize = -1;
		if (this.line.length > 4 * CHUNK) {
			// a big message passed: give the memory back
			this.line = new byte[Math.min(INITIAL, this.maxLineBytes)];
		}
	}

	/** Receives what the reader finds. */
	public interface Listener {

		/** A complete line, without its line break, in {@code bytes[0, length)}. */
		void onLine(byte[] bytes, int length);

		/** A line longer than the limit: its start and its full length in bytes. */
		void onOversizedLine(String start, long length);

	}

}
