package dev.mcpstdio.transport.pipe;

import java.util.ArrayDeque;
import java.util.List;

/**
 * The last lines a child wrote to stderr, kept for error messages and health.
 */
final class StderrTail {

	private final int capacity;

	private final ArrayDeque<String> lines;

	StderrTail(int capacity) {
		this.capacity = capacity;
		this.lines = new ArrayDeque<>(Math.min(capacity, 1024));
	}

	synchronized void add(String line) {
		if (this.capacity == 0) {
			return;
		}
		if (this.lines.size() == this.capacity) {
			this.lines.removeFirst();
		}
		this.lines.addLast(line);
	}

	synchronized List<String> lines() {
		return List.copyOf(this.lines);
	}

}
