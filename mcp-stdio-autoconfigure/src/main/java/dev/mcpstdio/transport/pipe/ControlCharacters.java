package dev.mcpstdio.transport.pipe;

/**
 * Makes a server's own text (its stderr, a line of its stdout, what it says in
 * {@code initialize} or in an error) data rather than terminal control before the starter
 * logs it or shows it in health: every C0 control character but TAB (U+0000 to U+001F,
 * and DEL U+007F) and every C1 control character (U+0080 to U+009F) is replaced by a
 * visible escape, ESC by <code>&#92;u001b</code>. An escape sequence then cannot clear
 * the operator's screen, set a terminal's title, move the cursor, or overwrite a line
 * with a carriage return, in a terminal or a log viewer.
 * <p>
 * The <code>&#92;uXXXX</code> form rather than <code>&#92;xXX</code>: it names a code
 * point without doubt (a C1 character is two bytes in UTF-8, so <code>&#92;x9b</code>
 * could be read as the byte), and it is how JSON, Java and JavaScript write one. A
 * backslash is left as it is: the escape is for safety, not to be reversed.
 * <p>
 * For the starter's own use.
 */
public final class ControlCharacters {

	private static final char[] HEX = "0123456789abcdef".toCharArray();

	private ControlCharacters() {
	}

	/**
	 * Returns the text with its control characters escaped.
	 * @param text what a server wrote
	 * @return the text, or the same instance when it holds no control character
	 */
	public static String escape(String text) {
		int first = firstControl(text);
		if (first < 0) {
			return text;
		}
		StringBuilder escaped = new StringBuilder(text.length() + 16).append(text, 0, first);
		for (int i = first; i < text.length(); i++) {
			char c = text.charAt(i);
			if (isControl(c)) {
				escaped.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
			}
			else {
				escaped.append(c);
			}
		}
		return escaped.toString();
	}

	private static int firstControl(String text) {
		for (int i = 0; i < text.length(); i++) {
			if (isControl(text.charAt(i))) {
				return i;
			}
		}
		return -1;
	}

	/** C0 but TAB, DEL, C1. */
	static boolean isControl(char c) {
		return (c < 0x20 && c != '\t') || (c >= 0x7F && c <= 0x9F);
	}

}
