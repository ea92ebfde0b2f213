package dev.mcpstdio.autoconfigure;

import java.time.Clock;
import java.util.List;
import java.util.Set;

import dev.mcpstdio.process.ProcessLauncher;
import dev.mcpstdio.process.ProcessSpec;
import dev.mcpstdio.process.platform.DaemonThreads;
import dev.mcpstdio.server.McpStdioClientCustomizer;
import dev.mcpstdio.server.McpStdioServer;
import dev.mcpstdio.server.McpStdioServers;
import dev.mcpstdio.server.ServerDefinition;
import dev.mcpstdio.transport.observation.McpClientObservationConvention;
import dev.mcpstdio.transport.observation.McpClientObservations;
import dev.mcpstdio.transport.observation.McpServerRequestObservationConvention;
import io.micrometer.observation.ObservationRegistry;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.json.McpJsonDefaults;

import org.springframework.ai.mcp.DefaultMcpToolNamePrefixGenerator;
import org.springframework.ai.mcp.McpToolFilter;
import org.springframework.ai.mcp.McpToolNamePrefixGenerator;
import org.springframework.ai.mcp.McpToolsChangedEvent;
import org.springframework.ai.mcp.SyncMcpToolCallbackProvider;
import org.springframework.ai.mcp.ToolContextToMcpMetaConverter;
import org.springframework.ai.mcp.annotation.McpElicitation;
import org.springframework.ai.mcp.annotation.McpLogging;
import org.springframework.ai.mcp.annotation.McpProgress;
import org.springframework.ai.mcp.annotation.McpPromptListChanged;
import org.springframework.ai.mcp.annotation.McpResourceListChanged;
import org.springframework.ai.mcp.annotation.McpSampling;
import org.springframework.ai.mcp.annotation.McpToolListChanged;
import org.springframework.ai.mcp.annotation.spring.ClientMcpAsyncHandlersRegistry;
import org.springframework.ai.mcp.annotation.spring.ClientMcpSyncHandlersRegistry;
import org.springframework.ai.mcp.annotation.spring.scan.AbstractAnnotatedMethodBeanFactoryInitializationAotProcessor;
import org.springframework.ai.mcp.customizer.McpClientCustomizer;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;

/**
 * Auto-configuration of managed MCP STDIO servers from {@code mcp.stdio.*}: the
 * {@link McpStdioServers} registry, one lifecycle bean per server, and the startup
 * barrier. Nothing is launched while beans are created: processes start with the
 * context's lifecycle.
 */
@AutoConfiguration(afterName = McpStdioAutoConfiguration.SPRING_AI_ANNOTATION_SCANNER)
@ConditionalOnProperty(prefix = McpStdioProperties.PREFIX, name = "enabled", havingValue = "true",
		matchIfMissing = true)
@Import(McpStdioLifecycleRegistrar.class)
public final class McpStdioAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ProcessLauncher mcpStdioProcessLauncher() {
		return ProcessLauncher.shared();
	}

	/**
	 * Spring AI's registry of annotated client handlers, where its client starter is
	 * present.
	 */
	static final String SPRING_AI_ANNOTATION_SCANNER = "org.springframework.ai.mcp.client.common.autoconfigure."
			+ "annotations.McpClientAnnotationScannerAutoConfiguration";

	/** The bean of Spring AI's that registers the client annotations' native hints. */
	static final String SPRING_AI_ANNOTATIONS_AOT_PROCESSOR = "clientAnnotatedBeanFactoryInitializationAotProcessor";

	@Bean
	@ConditionalOnMissingBean
	McpStdioServers mcpStdioServers(McpStdioServerDefinitions definitions, ProcessLauncher launcher,
			ObjectProvider<McpStdioClientCustomizer> customizers, ObjectProvider<ObservationRegistry> observations,
			ObjectProvider<McpClientObservationConvention> convention,
			ObjectProvider<McpServerRequestObservationConvention> serverConvention) {
		List<ServerDefinition> servers = definitions.get();
		launcher.reapOrphans(); // what an application killed outright left behind
		List<ProcessSpec> specs = servers.stream().map(ServerDefinition::processSpec).toList();
		// in the background: a slow engine must not hold up the refresh
		DaemonThreads.start("mcp-stdio-container-sweep", () -> launcher.reapOrphanContainers(specs));
		return new McpStdioServers(servers, launcher, McpJsonDefaults.getMapper(), Clock.systemUTC(),
				new McpStdioClientCustomizer() {

					@Override
					public void customize(String name, McpClient.SyncSpec spec) {
						customizers.orderedStream().forEach((customizer) -> customizer.customize(name, spec));
					}

					@Override
					public void customize(String name, McpClient.AsyncSpec spec) {
						customizers.orderedStream().forEach((customizer) -> customizer.customize(name, spec));
					}

				}, new McpClientObservations(observations.getIfAvailable(() -> ObservationRegistry.NOOP),
						convention.getIfAvailable(), serverConvention.getIfAvailable()));
	}

	/** Publishes the servers registered and unregistered at run time. */
	@Bean
	SmartInitializingSingleton mcpStdioServersChangedEvents(McpStdioServers servers,
			ApplicationEventPublisher publisher) {
		return () -> servers.addServersChangedListener((added, removed) -> {
			List<String> addedNames = names(added);
			List<String> removedNames = names(removed);
			publisher.publishEvent(new McpStdioServersChangedEvent(servers,
					addedNames.stream().filter((name) -> !removedNames.contains(name)).toList(),
					removedNames.stream().filter((name) -> !addedNames.contains(name)).toList(),
					addedNames.stream().filter(removedNames::contains).toList()));
		});
	}

	private static List<String> names(List<McpStdioServer> servers) {
		return servers.stream().map(McpStdioServer::name).toList();
	}

	@Bean
	McpStdioStartupBarrier mcpStdioStartupBarrier(McpStdioServers servers, McpStdioServerDefinitions definitions) {
		return new McpStdioStartupBarrier(servers, definitions.names());
	}

	/** Binds the configuration again and reconciles the servers with it. */
	@Bean
	McpStdioReloader mcpStdioReloader(McpStdioServers servers, Environment environment) {
		return new McpStdioReloader(servers,
				() -> McpStdioServerDefinitions.bind(environment, McpConfigFile.resourceLoader(), System.getenv())
					.get(),
				Clock.systemUTC());
	}

	@Bean
	ConfigFileReload mcpStdioConfigFileReload(McpStdioReloader reloader, Environment environment) {
		return ConfigFileReload.of(environment, McpConfigFile.resourceLoader(), reloader, Clock.systemUTC());
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.springframework.cloud.context.environment.EnvironmentChangeEvent")
	static class SpringCloudRefreshConfiguration {

		@Bean
		McpStdioRefreshListener mcpStdioRefreshListener(McpStdioReloader reloader) {
			return new McpStdioRefreshListener(reloader);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(McpClientCustomizer.class)
	static class SpringAiCustomizersConfiguration {

		@Bean
		@Order(0)
		McpStdioClientCustomizer mcpStdioSpringAiClientCustomizers(
				ObjectProvider<McpClientCustomizer<McpClient.SyncSpec>> syncCustomizers,
				ObjectProvider<McpClientCustomizer<McpClient.AsyncSpec>> asyncCustomizers) {
			return new SpringAiClientCustomizers(syncCustomizers, asyncCustomizers);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(ClientMcpSyncHandlersRegistry.class)
	static class AnnotatedHandlersConfiguration {

		@Bean
		@ConditionalOnMissingBean
		static ClientMcpSyncHandlersRegistry clientMcpSyncHandlersRegistry() {
			return new ClientMcpSyncHandlersRegistry();
		}

		/**
		 * What a native image needs of the beans with {@code @McpSampling} and the other
		 * client annotations, where Spring AI's client auto-configuration does not add
		 * it.
		 */
		@Bean
		@ConditionalOnMissingBean(name = SPRING_AI_ANNOTATIONS_AOT_PROCESSOR)
		static AbstractAnnotatedMethodBeanFactoryInitializationAotProcessor mcpStdioAnnotatedHandlersAotProcessor() {
			return new AbstractAnnotatedMethodBeanFactoryInitializationAotProcessor(
					Set.of(McpLogging.class, McpSampling.class, McpElicitation.class, McpProgress.class,
							McpToolListChanged.class, McpResourceListChanged.class, McpPromptListChanged.class));
		}

		@Bean
		@Order(Ordered.HIGHEST_PRECEDENCE)
		McpStdioClientCustomizer mcpStdioAnnotatedClientHandlers(ObjectProvider<ClientMcpSyncHandlersRegistry> sync,
				ObjectProvider<ClientMcpAsyncHandlersRegistry> async) {
			return new AnnotatedClientHandlers(sync, async);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(SyncMcpToolCallbackProvider.class)
	@ConditionalOnProperty(prefix = McpStdioProperties.PREFIX + ".tool-callbacks", name = "enabled",
			havingValue = "true", matchIfMissing = true)
	static class SpringAiToolsConfiguration {

		/**
		 * The bean of Spring AI's client starter that publishes its clients' tool
		 * changes.
		 */
		private static final String SPRING_AI_TOOLS_CHANGED_EMITTER = "mcpSyncToolChangeEventEmmiter";

		@Bean
		@ConditionalOnMissingBean
		McpStdioToolCallbackProvider mcpStdioToolCallbacks(McpStdioServers servers,
				ObjectProvider<McpToolFilter> filter, ObjectProvider<McpToolNamePrefixGenerator> names,
				ObjectProvider<ToolContextToMcpMetaConverter> meta) {
			McpToolNamePrefixGenerator generator = names.getIfUnique();
			if (generator != null && generator.getClass() == DefaultMcpToolNamePrefixGenerator.class) {
				generator = null; // Spring AI's client starter's default keeps bare
									// names: ours are <server>_<tool>
			}
			return new McpStdioToolCallbackProvider(servers, filter.getIfUnique(() -> (connection, tool) -> true),
					generator, meta.getIfUnique(ToolContextToMcpMetaConverter::defaultConverter));
		}

		/**
		 * Publishes Spring AI's McpToolsChangedEvent, unless its client starter's own
		 * customizer does.
		 */
		@Bean
		SmartInitializingSingleton mcpStdioToolsChangedEvents(McpStdioServers servers,
				ApplicationEventPublisher publisher, ListableBeanFactory beans) {
			return () -> {
				if (!beans.containsBean(SPRING_AI_TOOLS_CHANGED_EMITTER)) {
					servers.addToolsChangedListener(
							(server, tools) -> publisher.publishEvent(new McpToolsChangedEvent(server, tools)));
				}
				// an unregistered server's tools are gone; a registered one's come
				// with its first listing
				servers.addServersChangedListener((added, removed) -> removed.stream()
					.map(McpStdioServer::name)
					.filter((name) -> added.stream().noneMatch((server) -> server.name().equals(name)))
					.forEach((name) -> publisher.publishEvent(new McpToolsChangedEvent(name, List.of()))));
			};
		}

	}

}
