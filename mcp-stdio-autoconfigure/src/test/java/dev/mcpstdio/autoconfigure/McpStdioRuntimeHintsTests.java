package dev.mcpstdio.autoconfigure;

import java.beans.PropertyDescriptor;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.mcpstdio.actuate.McpStdioEndpoint;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.ai.mcp.annotation.spring.scan.AbstractAnnotatedMethodBeanFactoryInitializationAotProcessor;
import org.springframework.ai.mcp.client.common.autoconfigure.annotations.McpClientAnnotationScannerAutoConfiguration;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.TypeReference;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.beans.BeanUtils;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.io.support.SpringFactoriesLoader;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The starter's runtime hints, as a native image would receive them: registered through
 * {@code META-INF/spring/aot.factories}, and covering every property the binder fills,
 * every enum a property or the endpoint holds, and the {@code java.lang.foreign} calls of
 * {@code waitpid}.
 */
class McpStdioRuntimeHintsTests {

	private final RuntimeHints hints = registered();

	@Test
	void hintsAreRegisteredThroughAotFactories() {
		List<RuntimeHintsRegistrar> registrars = SpringFactoriesLoader
			.forResourceLocation("META-INF/spring/aot.factories")
			.load(RuntimeHintsRegistrar.class);
		assertThat(registrars).hasAtLeastOneElementOfType(McpStdioRuntimeHints.class);
	}

	@Test
	void everyPropertyTheBinderFillsCanBeReadAndWritten() {
		List<Method> accessors = new ArrayList<>();
		for (Class<?> type : propertyClasses(McpStdioProperties.class, new LinkedHashSet<>())) {
			for (PropertyDescriptor descriptor : BeanUtils.getPropertyDescriptors(type)) {
				if (descriptor.getReadMethod() != null && !"class".equals(descriptor.getName())) {
					accessors.add(descriptor.getReadMethod());
				}
				if (descriptor.getWriteMethod() != null) {
					accessors.add(descriptor.getWriteMethod());
				}
			}
		}
		assertThat(accessors).hasSizeGreaterThan(100)
			.allSatisfy((method) -> assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(method))
				.as("%s.%s", method.getDeclaringClass().getSimpleName(), method.getName())
				.accepts(this.hints));
	}

	@Test
	void everyEnumAPropertyHoldsIsRegistered() {
		Set<Class<?>> enums = new LinkedHashSet<>();
		for (Class<?> type : propertyClasses(McpStdioProperties.class, new LinkedHashSet<>())) {
			for (PropertyDescriptor descriptor : BeanUtils.getPropertyDescriptors(type)) {
				if (descriptor.getPropertyType() != null && descriptor.getPropertyType().isEnum()) {
					enums.add(descriptor.getPropertyType());
				}
				// the values of a map or the elements of a list (process-per: NAME ->
				// enum)
				if (descriptor.getReadMethod() != null
						&& descriptor.getReadMethod().getGenericReturnType() instanceof ParameterizedType generic) {
					for (Type argument : generic.getActualTypeArguments()) {
						if (argument instanceof Class<?> element && element.isEnum()) {
							enums.add(element);
						}
					}
				}
			}
		}
		assertThat(enums).isNotEmpty().isSubsetOf(McpStdioRuntimeHints.ENUMS);
		McpStdioRuntimeHints.ENUMS
			.forEach((type) -> assertThat(RuntimeHintsPredicates.reflection().onType(type)).as(type.getName())
				.accepts(this.hints));
	}

	@Test
	void everyValueTheEndpointShowsOfARunningServerIsAJdkTypeOrRegistered() {
		new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(McpStdioAutoConfiguration.class, McpStdioEndpointAutoConfiguration.class))
			.withPropertyValues("management.endpoints.web.exposure.include=mcpstdio")
			.withPropertyValues(FixtureProperties.server("shown").toArray(new String[0]))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				context.start();
				Map<String, Object> shown = context.getBean(McpStdioEndpoint.class).server("shown");
				assertThat(shown).isNotNull().containsKey("state");
				Set<Class<?>> types = new LinkedHashSet<>();
				collectTypes(shown, types);
				assertThat(types).filteredOn((type) -> !type.getName().startsWith("java."))
					.isNotEmpty()
					.allSatisfy(
							(type) -> assertThat(RuntimeHintsPredicates.reflection().onType(type)).as(type.getName())
								.accepts(this.hints));
			});
	}

	@Test
	void theForeignApiOfWaitpidIsReachable() {
		for (String type : McpStdioRuntimeHints.FOREIGN_TYPES) {
			assertThat(this.hints.reflection().getTypeHint(TypeReference.of(type))).as(type).isNotNull();
		}
		assertThat(RuntimeHintsPredicates.reflection()
			.onType(TypeReference.of("java.lang.foreign.Linker"))
			.withMemberCategory(org.springframework.aot.hint.MemberCategory.INVOKE_PUBLIC_METHODS)).accepts(this.hints);
		assertThat(getClass()
			.getResource("/META-INF/native-image/dev.mcpstdio/mcp-stdio-spring-boot/reachability-metadata.json"))
			.as("the downcall's metadata")
			.isNotNull();
	}

	@Test
	void clientAnnotationsGetTheirAotProcessorOnceWhetherOrNotSpringAiScans() {
		ApplicationContextRunner runner = new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(McpStdioAutoConfiguration.class));
		runner.run((context) -> assertThat(context)
			.getBeans(AbstractAnnotatedMethodBeanFactoryInitializationAotProcessor.class)
			.containsOnlyKeys("mcpStdioAnnotatedHandlersAotProcessor"));
		runner.withConfiguration(AutoConfigurations.of(McpClientAnnotationScannerAutoConfiguration.class))
			.run((context) -> assertThat(context)
				.getBeans(AbstractAnnotatedMethodBeanFactoryInitializationAotProcessor.class)
				.containsOnlyKeys(McpStdioAutoConfiguration.SPRING_AI_ANNOTATIONS_AOT_PROCESSOR));
	}

	private static RuntimeHints registered() {
		RuntimeHints hints = new RuntimeHints();
		new McpStdioRuntimeHints().registerHints(hints, McpStdioRuntimeHintsTests.class.getClassLoader());
		return hints;
	}

	/**
	 * The properties class and its nested classes that hold properties, as the binder
	 * walks them.
	 */
	private static Set<Class<?>> propertyClasses(Class<?> type, Set<Class<?>> found) {
		if (!found.add(type)) {
			return found;
		}
		for (Class<?> nested : type.getDeclaredClasses()) {
			if (Modifier.isStatic(nested.getModifiers()) && !nested.isEnum()) {
				propertyClasses(nested, found);
			}
		}
		if (type.getSuperclass() != null && type.getSuperclass() != Object.class) {
			propertyClasses(type.getSuperclass(), found);
		}
		return found;
	}

	private static void collectTypes(@Nullable Object value, Set<Class<?>> types) {
		if (value == null) {
			return;
		}
		// an enum constant with a body is a class of its own: Jackson writes its enum
		types.add((value instanceof Enum<?> constant) ? constant.getDeclaringClass() : value.getClass());
		if (value instanceof Map<?, ?> map) {
			map.values().forEach((element) -> collectTypes(element, types));
		}
		else if (value instanceof Collection<?> collection) {
			collection.forEach((element) -> collectTypes(element, types));
		}
	}

}
