package dev.mcpstdio.transport;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import dev.mcpstdio.process.Globs;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCRequest;
import org.jspecify.annotations.Nullable;

/**
 * Which tools of a server exist for the application: those {@code include} matches (all
 * where it is empty) that {@code exclude} does not; {@code *} in a pattern stands for any
 * characters, {@code ?} for one.
 */
public final class ToolPolicy {

	/** Every tool, each with the server's request-timeout. */
	public static final ToolPolicy ALL = new ToolPolicy(List.of(), List.of());

	private final List<String> include;

	private final List<String> exclude;

	private final Map<String, Duration> requestTimeouts;

	private final Globs included;

	private final Globs excluded;

	/**
	 * A policy.
	 * @param include globs of the tools offered and callable (empty: all)
	 * @param exclude globs of the tools never offered nor callable
	 */
	public ToolPolicy(List<String> include, List<String> exclude) {
		this(include, exclude, Map.of());
	}

	/**
	 * A policy.
	 * @param include globs of the tools offered and callable (empty: all)
	 * @param exclude globs of the tools never offered nor callable
	 * @param requestTimeouts the timeouts of some tools' calls, in place of the server's
	 * request-timeout, by tool name
	 */
	public ToolPolicy(List<String> include, List<String> exclude, Map<String, Duration> requestTimeouts) {
		this.include = List.copyOf(include);
		this.exclude = List.copyOf(exclude);
		this.requestTimeouts = Collections.unmodifiableMap(new LinkedHashMap<>(requestTimeouts));
		this.included = Globs.of(this.include);
		this.excluded = Globs.of(this.exclude);
	}

	public List<String> include() {
		return this.include;
	}

	public List<String> exclude() {
		return this.exclude;
	}

	/** The timeouts of some tools' calls, by tool name. */
	public Map<String, Duration> requestTimeouts() {
		return this.requestTimeouts;
	}

	/** Whether every tool is allowed. */
	public boolean allowsAll() {
		return this.include.isEmpty() && this.exclude.isEmpty();
	}

	/** Whether a tool exists for the application. */
	public boolean allows(String tool) {
		return refusal(tool).isEmpty();
	}

	/**
	 * The name of the tool a tools/call calls, if its params say; null for other
	 * requests.
	 */
	static @Nullable String toolName(JSONRPCRequest request) {
		if (!McpSchema.METHOD_TOOLS_CALL.equals(request.method())) {
			return null;
		}
		Object tool = (request.params() instanceof McpSchema.CallToolRequest call) ? call.name()
				: (request.params() instanceof Map<?, ?> map) ? map.get("name") : null;
		return (tool != null) ? tool.toString() : null;
	}

	/**
	 * Why a tool is not allowed, naming the property that decides it.
	 * @param tool the tool's name
	 * @return {@code excluded by tools.exclude [delete_*]}, or empty where it is allowed
	 */
	Optional<String> refusal(String tool) {
		if (!this.include.isEmpty() && !this.included.matches(tool)) {
			return Optional.of("not in tools.include " + this.include);
		}
		if (this.excluded.matches(tool)) {
			return Optional.of("excluded by tools.exclude " + this.exclude);
		}
		return Optional.empty();
	}

	@Override
	public boolean equals(Object other) {
		return other instanceof ToolPolicy policy && this.include.equals(policy.include)
				&& this.exclude.equals(policy.exclude) && this.requestTimeouts.equals(policy.requestTimeouts);
	}

	@Override
	public int hashCode() {
		return Objects.hash(this.include, this.exclude, this.requestTimeouts);
	}

	@Override
	public String toString() {
		return "ToolPolicy[include=" + this.include + ", exclude=" + this.exclude + ", requestTimeouts="
				+ this.requestTimeouts + "]";
	}

}
