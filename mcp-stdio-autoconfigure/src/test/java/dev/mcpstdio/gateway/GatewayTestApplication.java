package dev.mcpstdio.gateway;

import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A web application with the starter and its gateway, for the gateway's tests: started
 * with the properties a test gives, on a random port of 127.0.0.1.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
class GatewayTestApplication {

	static final String JVM_ARGS = "-Xmx48m,-XX:+UseSerialGC,-XX:TieredStopAtLevel=1";

	/** A server of the fixture's under a name, with its own settings. */
	static List<String> fixture(String name, String... settings) {
		List<String> properties = new ArrayList<>();
		properties.add("mcp.stdio.servers." + name + ".java.main-class=dev.mcpstdio.fixture.FixtureServer");
		properties.add("mcp.stdio.servers." + name + ".java.jvm-args=" + JVM_ARGS);
		for (String setting : settings) {
			properties.add("mcp.stdio.servers." + name + "." + setting);
		}
		return properties;
	}

	static ConfigurableApplicationContext start(List<String> properties, Class<?>... more) {
		List<String> all = new ArrayList<>(List.of("server.port=0", "server.address=127.0.0.1",
				"mcp.stdio.gateway.enabled=true", "mcp.stdio.gateway.allow-unauthenticated=true",
				"spring.main.banner-mode=off", "management.otlp.metrics.export.enabled=false"));
		all.addAll(properties);
		return new SpringApplicationBuilder(GatewayTestApplication.class).sources(more)
			.properties(all.toArray(String[]::new))
			.run();
	}

	static int port(ConfigurableApplicationContext context) {
		return Integer.parseInt(context.getEnvironment().getProperty("local.server.port", "-1"));
	}

}
