package dev.mcpstdio.gateway;

import java.security.Principal;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.mcpstdio.server.McpStdioServers;

/**
 * The subjects' own processes of the {@code process-per: subject} servers, by server and
 * subject: a subject's first session starts one (from the server's pool, or launched with
 * what the {@link SubjectProcessCustomizer} gives it), its next ones share it, and it
 * stops when the last ends.
 */
final class SubjectProcesses {

	private final McpStdioServers servers;

	private final SubjectProcessCustomizer customizer;

	private final Map<String, SubjectProcess> processes = new ConcurrentHashMap<>();

	SubjectProcesses(McpStdioServers servers, SubjectProcessCustomizer customizer) {
		this.servers = servers;
		this.customizer = customizer;
	}

	/**
	 * The subject's process of the server, started if it has none, reserved for a session
	 * that attaches to it next ({@link SubjectProcess#attach}).
	 * @param server the server's name
	 * @param subject the authenticated caller; the customizer says what its process gets
	 * @return the process, reserved
	 * @throws RuntimeException naming the server when no process could be started
	 */
	synchronized SubjectProcess reserve(String server, Principal subject) {
		String key = server + '\n' + subject.getName();
		SubjectProcess process = this.processes.get(key);
		if (process != null && process.reserve()) {
			return process;
		}
		SubjectProcess started = new SubjectProcess(server, (ended) -> this.processes.remove(key, ended));
		started.reserve();
		started.bind(this.servers.openChannel(server, started::deliver, this.customizer.overrides(server, subject)));
		this.processes.put(key, started);
		return started;
	}

}
