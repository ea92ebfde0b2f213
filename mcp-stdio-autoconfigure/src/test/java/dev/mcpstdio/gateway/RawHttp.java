package dev.mcpstdio.gateway;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * HTTP written by hand, for the headers Java's client will not send (Host).
 */
final class RawHttp {

	private RawHttp() {
	}

	/**
	 * POSTs a message with the headers given, and further ones as name, value pairs; the
	 * whole answer, status line first.
	 */
	static String post(int port, String path, String host, String origin, Object message, String... headers)
			throws Exception {
		byte[] body = McpHttpClient.json.writeValueAsBytes(message);
		StringBuilder head = new StringBuilder("POST " + path + " HTTP/1.1\r\nHost: " + host + "\r\n"
				+ "Content-Type: application/json\r\nAccept: application/json, text/event-stream\r\n"
				+ "Connection: close\r\nContent-Length: " + body.length + "\r\n");
		if (origin != null) {
			head.append("Origin: ").append(origin).append("\r\n");
		}
		for (int i = 0; i + 1 < headers.length; i += 2) {
			head.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
		}
		head.append("\r\n");
		try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
			socket.setSoTimeout(10_000);
			OutputStream out = socket.getOutputStream();
			out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
			out.write(body);
			out.flush();
			InputStream in = socket.getInputStream();
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
	}

}
