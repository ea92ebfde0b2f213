package dev.mcpstdio.process;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * A Java MCP server run with the current JVM's {@code java} launcher: a main class from
 * the application's own class path, or a jar.
 *
 * @param mainClass the main class to run with this JVM's class path, or {@code null}
 * @param jar the jar to run with {@code -jar}, or {@code null}
 * @param jvmArgs options for the child JVM, such as {@code -Xmx64m}
 */
public record JavaCommand(@Nullable String mainClass, @Nullable Path jar, List<String> jvmArgs) {

	public JavaCommand {
		if ((mainClass == null) == (jar == null)) {
			throw new IllegalArgumentException("Exactly one of main-class and jar must be set");
		}
		jvmArgs = List.copyOf(jvmArgs);
	}

	public static JavaCommand mainClass(String mainClass, List<String> jvmArgs) {
		return new JavaCommand(mainClass, null, jvmArgs);
	}

	public static JavaCommand jar(Path jar, List<String> jvmArgs) {
		return new JavaCommand(null, jar, jvmArgs);
	}

	/** The {@code java} executable of the running JVM. */
	public static String javaExecutable() {
		String exe = Platform.isWindows() ? "java.exe" : "java";
		return Path.of(System.getProperty("java.home"), "bin", exe).toString();
	}

	List<String> commandLine() {
		List<String> line = new ArrayList<>();
		line.add(javaExecutable());
		line.addAll(this.jvmArgs);
		if (this.mainClass != null) {
			line.add("-cp");
			line.add(System.getProperty("java.class.path", ""));
			line.add(this.mainClass);
		}
		else {
			line.add("-jar");
			line.add(String.valueOf(this.jar));
		}
		return line;
	}

}
