package dev.mcpstdio.process.sandbox;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The head of an HTTP proxy request: {@code CONNECT host:port}, or an absolute-form
 * {@code http://} request, whose origin gets it in origin form on a connection that ends
 * with it.
 *
 * @param method the method
 * @param authority the host and port as requested
 * @param host the host (an IPv6 literal in brackets)
 * @param port the port: as requested, else 443 for {@code CONNECT} and 80 otherwise
 * @param path the origin-form path ({@code CONNECT}: empty)
 * @param version the HTTP version
 * @param headers the header lines, each ending in CRLF
 */
record HttpRequestHead(String method, String authority, String host, int port, String path, String version,
		String headers) {

	/**
	 * Parses a request head.
	 * @param header the request line and headers, each line ending in CRLF
	 * @return the head
	 * @throws IllegalArgumentException with the text of a 400 if it is no proxy request
	 */
	static HttpRequestHead parse(String header) {
		int lineEnd = header.indexOf("\r\n");
		String[] requestLine = header.substring(0, Math.max(lineEnd, 0)).split(" ");
		if (requestLine.length != 3) {
			throw new IllegalArgumentException("not an HTTP proxy request");
		}
		String method = requestLine[0];
		boolean connect = method.equalsIgnoreCase("CONNECT");
		String authority;
		String path = "";
		if (connect) {
			authority = requestLine[1];
		}
		else if (requestLine[1].regionMatches(true, 0, "http://", 0, 7)) {
			String rest = requestLine[1].substring(7);
			int slash = rest.indexOf('/');
			authority = (slash < 0) ? rest : rest.substring(0, slash);
			path = (slash < 0) ? "/" : rest.substring(slash);
		}
		else {
			throw new IllegalArgumentException("only CONNECT and absolute http:// requests are proxied");
		}
		int colon = authority.lastIndexOf(':');
		boolean hasPort = colon > 0 && !authority.endsWith("]");
		String host = hasPort ? authority.substring(0, colon) : authority;
		int port = hasPort ? port(authority.substring(colon + 1)) : (connect ? 443 : 80);
		return new HttpRequestHead(method, authority, host, port, path, requestLine[2], header.substring(lineEnd + 2));
	}

	boolean isConnect() {
		return this.method.equalsIgnoreCase("CONNECT");
	}

	/** The request as its origin receives it, on a connection that ends with it. */
	byte[] originForm() {
		StringBuilder request = new StringBuilder(this.method).append(' ')
			.append(this.path)
			.append(' ')
			.append(this.version);
		for (String line : this.headers.split("\r\n")) {
			String name = line.contains(":") ? line.substring(0, line.indexOf(':')).trim().toLowerCase(Locale.ROOT)
					: "";
			if (!line.isEmpty() && !name.startsWith("proxy-") && !name.equals("connection")
					&& !name.equals("keep-alive")) {
				request.append("\r\n").append(line);
			}
		}
		return request.append("\r\nConnection: close\r\n\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
	}

	private static int port(String text) {
		int port;
		try {
			port = Integer.parseInt(text);
		}
		catch (NumberFormatException ex) {
			port = -1;
		}
		if (port < 1 || port > 65535) {
			throw new IllegalArgumentException("not a port: '" + text + "'");
		}
		return port;
	}

}
