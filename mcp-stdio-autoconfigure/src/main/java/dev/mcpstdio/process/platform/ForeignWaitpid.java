package dev.mcpstdio.process.platform;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Array;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code waitpid} through Java's foreign function API ({@code java.lang.foreign}, final
 * in Java 22). The code compiles for Java 17, so the API is reached by reflection; on
 * Java 17 to 21 it is absent and {@link #load()} is empty.
 */
final class ForeignWaitpid implements Waitpid {

	private static final Logger logger = LoggerFactory.getLogger(ForeignWaitpid.class);

	private static final int FOREIGN_API_FINAL = 22;

	/** {@code int waitpid(int pid, int options)}: the status pointer bound to NULL. */
	private final MethodHandle waitpid;

	private ForeignWaitpid(MethodHandle waitpid) {
		this.waitpid = waitpid;
	}

	/** The call, where this Java has the foreign function API and may use it. */
	static Optional<Waitpid> load() {
		if (Runtime.version().feature() < FOREIGN_API_FINAL) {
			return Optional.empty();
		}
		try {
			return Optional.of(new ForeignWaitpid(downcall()));
		}
		catch (Throwable ex) {
			// native access denied (--illegal-native-access=deny, a future default), or
			// no waitpid in the C library
			logger.debug("waitpid is not available through java.lang.foreign", ex);
			return Optional.empty();
		}
	}

	private static MethodHandle downcall() throws ReflectiveOperationException {
		Class<?> linkerType = Class.forName("java.lang.foreign.Linker");
		Class<?> lookupType = Class.forName("java.lang.foreign.SymbolLookup");
		Class<?> segmentType = Class.forName("java.lang.foreign.MemorySegment");
		Class<?> layoutType = Class.forName("java.lang.foreign.MemoryLayout");
		Class<?> valueLayoutType = Class.forName("java.lang.foreign.ValueLayout");
		Class<?> descriptorType = Class.forName("java.lang.foreign.FunctionDescriptor");
		Class<?> optionType = Class.forName("java.lang.foreign.Linker$Option");
		Object linker = linkerType.getMethod("nativeLinker").invoke(null);
		Object lookup = linkerType.getMethod("defaultLookup").invoke(linker);
		Optional<?> symbol = (Optional<?>) lookupType.getMethod("find", String.class).invoke(lookup, "waitpid");
		if (symbol.isEmpty()) {
			throw new NoSuchMethodException("waitpid is not in the default C library");
		}
		Object javaInt = valueLayoutType.getField("JAVA_INT").get(null);
		Object address = valueLayoutType.getField("ADDRESS").get(null);
		Object arguments = Array.newInstance(layoutType, 3);
		Array.set(arguments, 0, javaInt);
		Array.set(arguments, 1, address);
		Array.set(arguments, 2, javaInt);
		Object descriptor = descriptorType.getMethod("of", layoutType, arguments.getClass())
			.invoke(null, javaInt, arguments);
		MethodHandle handle = (MethodHandle) linkerType
			.getMethod("downcallHandle", segmentType, descriptorType, Array.newInstance(optionType, 0).getClass())
			.invoke(linker, symbol.get(), descriptor, Array.newInstance(optionType, 0));
		Object nullPointer = segmentType.getField("NULL").get(null);
		return MethodHandles.insertArguments(handle, 1, nullPointer)
			.asType(MethodType.methodType(int.class, int.class, int.class));
	}

	@Override
	public boolean reap(long pid) {
		try {
			return (int) this.waitpid.invokeExact((int) pid, WNOHANG) == pid;
		}
		catch (Throwable ex) {
			logger.debug("waitpid({}) failed", pid, ex);
			return false;
		}
	}

	@Override
	public String via() {
		return "Java's foreign function API";
	}

}
