package dev.mcpstdio.sample;

import java.util.List;
import java.util.Map;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

/**
 * The CLI mode (profile {@code cli}): one tool call, its result on stdout, and exit with
 * status 0, back at the shell promptly even with the stubborn server configured.
 * Arguments: {@code --server=demo --tool=add --args={"a":2,"b":3}}.
 */
@Component
@Profile("cli")
class CliRunner implements ApplicationRunner {

	private final Tools tools;

	private final ConfigurableApplicationContext context;

	CliRunner(Tools tools, ConfigurableApplicationContext context) {
		this.tools = tools;
		this.context = context;
	}

	@Override
	public void run(ApplicationArguments args) {
		String server = single(args, "server", "demo");
		String tool = single(args, "tool", "current_time");
		@SuppressWarnings("unchecked")
		Map<String, Object> arguments = JsonMapper.builder().build().readValue(single(args, "args", "{}"), Map.class);
		System.out.println(this.tools.call(server, tool, arguments));
		System.exit(SpringApplication.exit(this.context, () -> 0));
	}

	private static String single(ApplicationArguments args, String name, String fallback) {
		List<String> values = args.getOptionValues(name);
		return (values == null || values.isEmpty()) ? fallback : values.get(0);
	}

}
