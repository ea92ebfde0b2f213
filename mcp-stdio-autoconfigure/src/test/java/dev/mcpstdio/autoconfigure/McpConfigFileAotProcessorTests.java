package dev.mcpstdio.autoconfigure;

import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.aot.generate.ClassNameGenerator;
import org.springframework.aot.generate.DefaultGenerationContext;
import org.springframework.aot.generate.InMemoryGeneratedFiles;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.beans.factory.aot.BeanFactoryInitializationAotContribution;
import org.springframework.beans.factory.aot.BeanFactoryInitializationAotProcessor;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.javapoet.ClassName;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A {@code classpath:} config-file named when the build runs is put in a native image;
 * any other location needs nothing.
 */
class McpConfigFileAotProcessorTests {

	@Test
	void processorIsRegisteredThroughAotFactories() {
		List<BeanFactoryInitializationAotProcessor> processors = SpringFactoriesLoader
			.forResourceLocation("META-INF/spring/aot.factories")
			.load(BeanFactoryInitializationAotProcessor.class);
		assertThat(processors).hasAtLeastOneElementOfType(McpConfigFileAotProcessor.class);
	}

	@Test
	void classPathConfigFileBecomesAResourceHint() {
		DefaultGenerationContext generation = generate("classpath:/mcp/servers.json");
		assertThat(RuntimeHintsPredicates.resource().forResource("mcp/servers.json"))
			.accepts(generation.getRuntimeHints());
		assertThat(RuntimeHintsPredicates.resource().forResource("mcp/other.json"))
			.rejects(generation.getRuntimeHints());
	}

	@Test
	void fileConfigFileOrNoneNeedsNoHint() {
		assertThat(contribution("file:/etc/mcp.json")).isNull();
		assertThat(contribution("/etc/mcp.json")).isNull();
		assertThat(contribution(null)).isNull();
		assertThat(McpConfigFileAotProcessor.classPathResource("classpath:")).isNull();
	}

	private static DefaultGenerationContext generate(String location) {
		BeanFactoryInitializationAotContribution contribution = contribution(location);
		assertThat(contribution).isNotNull();
		DefaultGenerationContext generation = new DefaultGenerationContext(
				new ClassNameGenerator(ClassName.get("com.example", "Application")), new InMemoryGeneratedFiles());
		contribution.applyTo(generation, null);
		return generation;
	}

	private static BeanFactoryInitializationAotContribution contribution(String location) {
		MockEnvironment environment = new MockEnvironment();
		if (location != null) {
			environment.setProperty("mcp.stdio.config-file", location);
		}
		try (GenericApplicationContext context = new GenericApplicationContext()) {
			context.setEnvironment(environment);
			context.refresh();
			return new McpConfigFileAotProcessor().processAheadOfTime(context.getBeanFactory());
		}
	}

}
