package dev.mcpstdio.sample;

import java.util.List;
import java.util.Map;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /tools} lists every server's tools; {@code POST /tools/{server}/{tool}} with
 * a JSON object body calls one.
 */
@RestController
class ToolsController {

	private final Tools tools;

	ToolsController(Tools tools) {
		this.tools = tools;
	}

	@GetMapping("/tools")
	Map<String, List<Map<String, String>>> list() {
		return this.tools.list();
	}

	@PostMapping("/tools/{server}/{tool}")
	Map<String, String> call(@PathVariable String server, @PathVariable String tool,
			@RequestBody(required = false) Map<String, Object> arguments) {
		String result = this.tools.call(server, tool, (arguments != null) ? arguments : Map.of());
		return Map.of("server", server, "tool", tool, "result", result);
	}

}
