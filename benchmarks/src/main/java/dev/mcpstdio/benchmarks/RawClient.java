package dev.mcpstdio.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The floor: the fixture server driven by hand-written JSON lines over its pipes, with no
 * client library at all.
 */
final class RawClient implements AutoCloseable {

	private static final byte[] INITIALIZE = ("{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":\"initialize\",\"params\":"
			+ "{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"raw\",\"version\":\"1\"}}}\n"
			+ "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}\n")
		.getBytes(StandardCharsets.UTF_8);

	private final Process process;

	private final OutputStream in;

	private final BufferedReader out;

	private int nextId = 1;

	private RawClient(Process process) {
		this.process = process;
		this.in = process.getOutputStream();
		this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
	}

	/** Starts the server and completes the handshake. */
	static RawClient start(List<String> command) throws IOException {
		Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
		RawClient client = new RawClient(process);
		client.in.write(INITIALIZE);
		client.in.flush();
		client.out.readLine();
		return client;
	}

	/** One tools/call of echo, answered. */
	String echo(String text) throws IOException {
		String request = "{\"jsonrpc\":\"2.0\",\"id\":" + this.nextId++
				+ ",\"method\":\"tools/call\",\"params\":{\"name\":\"echo\",\"arguments\":{\"text\":\"" + text
				+ "\"}}}\n";
		this.in.write(request.getBytes(StandardCharsets.UTF_8));
		this.in.flush();
		return this.out.readLine();
	}

	Process process() {
		return this.process;
	}

	/** Closes stdin, the polite way to stop an MCP server. */
	void closeStdin() throws IOException {
		this.in.close();
	}

	@Override
	public void close() {
		this.process.destroyForcibly();
		this.process.descendants().forEach(ProcessHandle::destroyForcibly);
	}

}
