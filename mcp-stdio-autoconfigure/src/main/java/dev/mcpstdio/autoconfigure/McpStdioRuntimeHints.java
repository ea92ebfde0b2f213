package dev.mcpstdio.autoconfigure;

import java.util.List;

import dev.mcpstdio.process.InheritEnv;
import dev.mcpstdio.process.StopStep;
import dev.mcpstdio.process.container.ContainerEngine;
import dev.mcpstdio.process.sandbox.SandboxSettings;
import dev.mcpstdio.server.RestartPolicy;
import dev.mcpstdio.server.ServerState;
import dev.mcpstdio.server.Startup;
import dev.mcpstdio.transport.pipe.LogLevel;
import org.jspecify.annotations.Nullable;

import org.springframework.aot.hint.BindingReflectionHintsRegistrar;
import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.TypeReference;
import org.springframework.boot.context.properties.bind.BindableRuntimeHintsRegistrar;

/**
 * What a native image needs of the starter beyond its beans: reflection on the properties
 * the binder fills (from {@code mcp.stdio.*} and the config-file alike), on the enums
 * bound from text and written by Jackson in the endpoint and health details, and on the
 * {@code java.lang.foreign} API that {@code waitpid} is called through (the downcall
 * itself is declared in {@code META-INF/native-image}; JNA is not used in a native
 * image).
 */
final class McpStdioRuntimeHints implements RuntimeHintsRegistrar {

	/** The enums bound from configuration text, or shown in the endpoint and health. */
	static final List<Class<? extends Enum<?>>> ENUMS = List.of(InheritEnv.class, StopStep.class, ContainerEngine.class,
			SandboxSettings.OnUnavailable.class, RestartPolicy.class, ServerState.class, Startup.class, LogLevel.class,
			McpStdioProperties.GatewayAuth.class, McpStdioProperties.ProcessPer.class);

	/**
	 * The {@code java.lang.foreign} types {@code ForeignWaitpid} reaches by reflection.
	 */
	static final List<String> FOREIGN_TYPES = List.of("java.lang.foreign.Linker", "java.lang.foreign.SymbolLookup",
			"java.lang.foreign.MemorySegment", "java.lang.foreign.MemoryLayout", "java.lang.foreign.ValueLayout",
			"java.lang.foreign.FunctionDescriptor", "java.lang.foreign.Linker$Option");

	@Override
	public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
		BindableRuntimeHintsRegistrar.forTypes(McpStdioProperties.class).registerHints(hints, classLoader);
		BindingReflectionHintsRegistrar binding = new BindingReflectionHintsRegistrar();
		ENUMS.forEach((type) -> binding.registerReflectionHints(hints.reflection(), type));
		FOREIGN_TYPES.forEach((name) -> hints.reflection()
			.registerType(TypeReference.of(name), MemberCategory.INVOKE_PUBLIC_METHODS,
					MemberCategory.ACCESS_PUBLIC_FIELDS));
	}

}
