package dev.mcpstdio.process;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

import dev.mcpstdio.process.platform.Platform;
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

	static final String PROPERTIES_LAUNCHER = "org.springframework.boot.loader.launch.PropertiesLauncher";

	public static JavaCommand mainClass(String mainClass, List<String> jvmArgs) {
		return new JavaCommand(mainClass, null, jvmArgs);
	}

	public static JavaCommand jar(Path jar, List<String> jvmArgs) {
		return new JavaCommand(null, jar, jvmArgs);
	}

	/**
	 * The {@code java} executable of the running JVM, or {@code java} on the PATH where
	 * there is none (a native image).
	 */
	public static String javaExecutable() {
		String exe = Platform.isWindows() ? "java.exe" : "java";
		String home = System.getProperty("java.home");
		return (home != null) ? Path.of(home, "bin", exe).toString() : exe;
	}

	/** Whether the class path is a single Spring Boot executable jar. */
	static boolean isSpringBootJar(String classPath) {
		if (classPath.isEmpty() || classPath.contains(File.pathSeparator) || !classPath.endsWith(".jar")) {
			return false;
		}
		try (JarFile jar = new JarFile(classPath)) {
			Manifest manifest = jar.getManifest();
			String launcher = (manifest != null) ? manifest.getMainAttributes().getValue("Main-Class") : null;
			return launcher != null && launcher.startsWith("org.springframework.boot.loader.");
		}
		catch (IOException ex) {
			return false;
		}
	}

	List<String> commandLine() {
		List<String> line = new ArrayList<>();
		line.add(javaExecutable());
		line.addAll(this.jvmArgs);
		if (this.mainClass != null) {
			String classPath = System.getProperty("java.class.path", "");
			line.add("-cp");
			line.add(classPath);
			if (isSpringBootJar(classPath)) {
				// an application run with java -jar: its classes are nested inside
				// the jar
				line.add("-Dloader.main=" + this.mainClass);
				line.add(PROPERTIES_LAUNCHER);
			}
			else {
				line.add(this.mainClass);
			}
		}
		else {
			line.add("-jar");
			line.add(String.valueOf(this.jar));
		}
		return line;
	}

}
