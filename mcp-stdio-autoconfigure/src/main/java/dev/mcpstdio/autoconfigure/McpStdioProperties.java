package dev.mcpstdio.autoconfigure;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.mcpstdio.process.InheritEnv;
import dev.mcpstdio.process.container.ContainerEngine;
import dev.mcpstdio.process.sandbox.SandboxSettings;
import dev.mcpstdio.server.RestartPolicy;
import dev.mcpstdio.server.Startup;
import dev.mcpstdio.transport.pipe.LogLevel;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.BeanUtils;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Configuration properties for managed MCP STDIO servers.
 */
@ConfigurationProperties(McpStdioProperties.PREFIX)
public class McpStdioProperties {

	/** The prefix of every property. */
	public static final String PREFIX = "mcp.stdio";

	/**
	 * Whether managed MCP STDIO servers are enabled.
	 */
	private boolean enabled = true;

	/**
	 * Location of a Claude Desktop / Cursor ("mcpServers") or VS Code ("servers") JSON
	 * file whose servers are added; entries under servers override them by name.
	 */
	private @Nullable String configFile;

	/**
	 * Whether the config-file is watched: on a change, the servers that changed are
	 * started, stopped or restarted, the others left running.
	 */
	private boolean configFileReload;

	/**
	 * How long the config-file must have been quiet before a change is applied.
	 */
	private Duration configFileQuietPeriod = Duration.ofSeconds(1);

	/**
	 * Values of the config-file's VS Code ${input:ID} variables, by ID.
	 */
	private Map<String, String> inputs = new LinkedHashMap<>();

	/**
	 * Settings of every server that does not set its own.
	 */
	private final ServerSettings defaults = new ServerSettings();

	/**
	 * The servers, by name.
	 */
	private Map<String, Server> servers = new LinkedHashMap<>();

	/**
	 * The tool callbacks offered to Spring AI.
	 */
	private final ToolCallbacks toolCallbacks = new ToolCallbacks();

	/**
	 * The gateway: the servers over MCP's Streamable HTTP to remote clients.
	 */
	private final Gateway gateway = new Gateway();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public @Nullable String getConfigFile() {
		return this.configFile;
	}

	public void setConfigFile(@Nullable String configFile) {
		this.configFile = configFile;
	}

	public boolean isConfigFileReload() {
		return this.configFileReload;
	}

	public void setConfigFileReload(boolean configFileReload) {
		this.configFileReload = configFileReload;
	}

	public Duration getConfigFileQuietPeriod() {
		return this.configFileQuietPeriod;
	}

	public void setConfigFileQuietPeriod(Duration configFileQuietPeriod) {
		this.configFileQuietPeriod = configFileQuietPeriod;
	}

	public Map<String, String> getInputs() {
		return this.inputs;
	}

	public void setInputs(Map<String, String> inputs) {
		this.inputs = inputs;
	}

	public ServerSettings getDefaults() {
		return this.defaults;
	}

	public ToolCallbacks getToolCallbacks() {
		return this.toolCallbacks;
	}

	public Gateway getGateway() {
		return this.gateway;
	}

	public Map<String, Server> getServers() {
		return this.servers;
	}

	public void setServers(Map<String, Server> servers) {
		this.servers = servers;
	}

	/**
	 * The settings of a server, other than what it runs; under defaults they apply to
	 * every server that does not set its own.
	 */
	public static class ServerSettings {

		/**
		 * Which of the application's environment variables the child inherits: minimal
		 * (PATH, HOME, USER, locale, proxy and the like), all, or none.
		 */
		private InheritEnv inheritEnv = InheritEnv.MINIMAL;

		/**
		 * Names or globs (NPM_CONFIG_*) of the application's environment variables the
		 * child gets as well.
		 */
		private List<String> passEnv = new ArrayList<>();

		/**
		 * The sandbox of the server's process tree (Linux: bubblewrap).
		 */
		private final Sandbox sandbox = new Sandbox();

		/**
		 * Whether nothing the server starts may gain privileges through setuid binaries.
		 */
		private boolean noNewPrivileges = true;

		/**
		 * Limits of the server's process tree.
		 */
		private final Limits limits = new Limits();

		/**
		 * Which of the server's tools exist for the application.
		 */
		private final Tools tools = new Tools();

		/**
		 * Requests at the server at once; the others wait their turn, in order, within
		 * their own timeout; 0 for no cap.
		 */
		private int maxConcurrentRequests;

		/**
		 * Whether a progress notification for a request restarts its timeout; the starter
		 * then asks for progress on each tool call that did not.
		 */
		private boolean progressResetsTimeout = true;

		/**
		 * How long a request may take at most, whatever its progress; 0 for no cap.
		 */
		private Duration maxRequestTimeout = Duration.ofMinutes(10);

		/**
		 * Whether one long-lived process is shared by every caller; false gives every
		 * session a process of its own.
		 */
		private boolean keepAlive = true;

		/**
		 * Keep-alive only: stop the process when idle this long and start it again on the
		 * next use; 0 for never.
		 */
		private Duration idleTimeout = Duration.ZERO;

		/**
		 * Keep-alive false only: processes kept started and initialized for the next
		 * sessions.
		 */
		private final Pool pool = new Pool();

		/**
		 * Keep-alive false only: live processes at most, idle pooled ones included; a
		 * session beyond waits for a slot up to request-timeout.
		 */
		private int maxSessions = 32;

		/**
		 * When a keep-alive server starts: with the context (eager) or on first use
		 * (lazy).
		 */
		private Startup startup = Startup.EAGER;

		/**
		 * Whether the application fails to start when this server cannot start.
		 */
		private boolean required = true;

		/**
		 * How long the initialize handshake may take.
		 */
		private Duration initializeTimeout = Duration.ofSeconds(20);

		/**
		 * How long a request may take.
		 */
		private Duration requestTimeout = Duration.ofSeconds(30);

		/**
		 * Longest message accepted on the child's stdout; longer ones are dropped.
		 */
		private DataSize maxMessageSize = DataSize.ofMegabytes(16);

		/**
		 * How the server is stopped.
		 */
		private final Shutdown shutdown = new Shutdown();

		/**
		 * How the server is restarted.
		 */
		private final Restart restart = new Restart();

		/**
		 * How the server's health is checked.
		 */
		private final Health health = new Health();

		/**
		 * What happens to the child's stderr.
		 */
		private final Stderr stderr = new Stderr();

		/**
		 * How a command that is a container engine's CLI running "run" is run.
		 */
		private final Container container = new Container();

		public InheritEnv getInheritEnv() {
			return this.inheritEnv;
		}

		public void setInheritEnv(InheritEnv inheritEnv) {
			this.inheritEnv = inheritEnv;
		}

		public List<String> getPassEnv() {
			return this.passEnv;
		}

		public void setPassEnv(List<String> passEnv) {
			this.passEnv = passEnv;
		}

		public int getMaxConcurrentRequests() {
			return this.maxConcurrentRequests;
		}

		public void setMaxConcurrentRequests(int maxConcurrentRequests) {
			this.maxConcurrentRequests = maxConcurrentRequests;
		}

		public boolean isProgressResetsTimeout() {
			return this.progressResetsTimeout;
		}

		public void setProgressResetsTimeout(boolean progressResetsTimeout) {
			this.progressResetsTimeout = progressResetsTimeout;
		}

		public Duration getMaxRequestTimeout() {
			return this.maxRequestTimeout;
		}

		public void setMaxRequestTimeout(Duration maxRequestTimeout) {
			this.maxRequestTimeout = maxRequestTimeout;
		}

		public Tools getTools() {
			return this.tools;
		}

		public Sandbox getSandbox() {
			return this.sandbox;
		}

		public boolean isNoNewPrivileges() {
			return this.noNewPrivileges;
		}

		public void setNoNewPrivileges(boolean noNewPrivileges) {
			this.noNewPrivileges = noNewPrivileges;
		}

		public Limits getLimits() {
			return this.limits;
		}

		public boolean isKeepAlive() {
			return this.keepAlive;
		}

		public void setKeepAlive(boolean keepAlive) {
			this.keepAlive = keepAlive;
		}

		public Duration getIdleTimeout() {
			return this.idleTimeout;
		}

		public void setIdleTimeout(Duration idleTimeout) {
			this.idleTimeout = idleTimeout;
		}

		public Startup getStartup() {
			return this.startup;
		}

		public void setStartup(Startup startup) {
			this.startup = startup;
		}

		public boolean isRequired() {
			return this.required;
		}

		public void setRequired(boolean required) {
			this.required = required;
		}

		public Duration getInitializeTimeout() {
			return this.initializeTimeout;
		}

		public void setInitializeTimeout(Duration initializeTimeout) {
			this.initializeTimeout = initializeTimeout;
		}

		public Duration getRequestTimeout() {
			return this.requestTimeout;
		}

		public void setRequestTimeout(Duration requestTimeout) {
			this.requestTimeout = requestTimeout;
		}

		public DataSize getMaxMessageSize() {
			return this.maxMessageSize;
		}

		public void setMaxMessageSize(DataSize maxMessageSize) {
			this.maxMessageSize = maxMessageSize;
		}

		public Shutdown getShutdown() {
			return this.shutdown;
		}

		public Restart getRestart() {
			return this.restart;
		}

		public Health getHealth() {
			return this.health;
		}

		public Stderr getStderr() {
			return this.stderr;
		}

		public Pool getPool() {
			return this.pool;
		}

		public Container getContainer() {
			return this.container;
		}

		public int getMaxSessions() {
			return this.maxSessions;
		}

		public void setMaxSessions(int maxSessions) {
			this.maxSessions = maxSessions;
		}

		/** Copies every setting of another into this one. */
		void copyFrom(ServerSettings other) {
			BeanUtils.copyProperties(other, this, ServerSettings.class);
			this.passEnv = new ArrayList<>(other.getPassEnv());
			BeanUtils.copyProperties(other.getPool(), this.pool);
			BeanUtils.copyProperties(other.getShutdown(), this.shutdown);
			BeanUtils.copyProperties(other.getRestart(), this.restart);
			BeanUtils.copyProperties(other.getHealth(), this.health);
			BeanUtils.copyProperties(other.getStderr(), this.stderr);
			BeanUtils.copyProperties(other.getContainer(), this.container);
			this.sandbox.copyFrom(other.getSandbox());
			this.tools.setInclude(new ArrayList<>(other.getTools().getInclude()));
			this.tools.setExclude(new ArrayList<>(other.getTools().getExclude()));
			this.tools.setRequestTimeouts(new LinkedHashMap<>(other.getTools().getRequestTimeouts()));
			BeanUtils.copyProperties(other.getLimits(), this.limits);
		}

	}

	/**
	 * One server: what it runs, and its settings.
	 */
	public static class Server extends ServerSettings {

		/**
		 * Executable to run directly (never through a shell), a path or a name looked up
		 * on PATH.
		 */
		private @Nullable String command;

		/**
		 * Arguments of the command.
		 */
		private List<String> args = new ArrayList<>();

		/**
		 * Environment variables for the child; values are secrets and never shown.
		 */
		private Map<String, String> env = new LinkedHashMap<>();

		/**
		 * Working directory of the child.
		 */
		private @Nullable String workingDirectory;

		/**
		 * A Java MCP server run with this JVM, instead of command.
		 */
		private final Java java = new Java();

		/**
		 * Servers this one is started after and stopped before.
		 */
		private List<String> dependsOn = new ArrayList<>();

		public @Nullable String getCommand() {
			return this.command;
		}

		public void setCommand(@Nullable String command) {
			this.command = command;
		}

		public List<String> getArgs() {
			return this.args;
		}

		public void setArgs(List<String> args) {
			this.args = args;
		}

		public Map<String, String> getEnv() {
			return this.env;
		}

		public void setEnv(Map<String, String> env) {
			this.env = env;
		}

		public @Nullable String getWorkingDirectory() {
			return this.workingDirectory;
		}

		public void setWorkingDirectory(@Nullable String workingDirectory) {
			this.workingDirectory = workingDirectory;
		}

		public Java getJava() {
			return this.java;
		}

		public List<String> getDependsOn() {
			return this.dependsOn;
		}

		public void setDependsOn(List<String> dependsOn) {
			this.dependsOn = dependsOn;
		}

	}

	/**
	 * Spring AI tool callbacks over the servers' tools.
	 */
	public static class ToolCallbacks {

		/**
		 * Whether the servers' tools are offered to Spring AI as tool callbacks.
		 */
		private boolean enabled = true;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

	}

	/**
	 * Which of a server's tools exist for the application: listed to every client,
	 * offered as tool callbacks, and callable.
	 */
	public static class Tools {

		/**
		 * Globs of the tool names offered and callable; empty for all.
		 */
		private List<String> include = new ArrayList<>();

		/**
		 * Globs of the tool names never offered nor callable.
		 */
		private List<String> exclude = new ArrayList<>();

		/**
		 * Timeouts of some tools' calls, by tool name, in place of request-timeout.
		 */
		private Map<String, Duration> requestTimeouts = new LinkedHashMap<>();

		public List<String> getInclude() {
			return this.include;
		}

		public void setInclude(List<String> include) {
			this.include = include;
		}

		public List<String> getExclude() {
			return this.exclude;
		}

		public void setExclude(List<String> exclude) {
			this.exclude = exclude;
		}

		public Map<String, Duration> getRequestTimeouts() {
			return this.requestTimeouts;
		}

		public void setRequestTimeouts(Map<String, Duration> requestTimeouts) {
			this.requestTimeouts = requestTimeouts;
		}

	}

	/**
	 * The sandbox of a server's process tree.
	 */
	public static class Sandbox {

		/**
		 * Whether the server's process tree runs in a sandbox.
		 */
		private boolean enabled;

		/**
		 * What happens where no sandbox can run: fail (the server does not start) or warn
		 * (it runs unconfined).
		 */
		private SandboxSettings.OnUnavailable onUnavailable = SandboxSettings.OnUnavailable.FAIL;

		/**
		 * What the sandboxed server may read and write.
		 */
		private final Filesystem filesystem = new Filesystem();

		/**
		 * What the sandboxed server may reach.
		 */
		private final Network network = new Network();

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public SandboxSettings.OnUnavailable getOnUnavailable() {
			return this.onUnavailable;
		}

		public void setOnUnavailable(SandboxSettings.OnUnavailable onUnavailable) {
			this.onUnavailable = onUnavailable;
		}

		public Filesystem getFilesystem() {
			return this.filesystem;
		}

		public Network getNetwork() {
			return this.network;
		}

		void copyFrom(Sandbox other) {
			this.enabled = other.enabled;
			this.onUnavailable = other.onUnavailable;
			this.filesystem.setAllowWrite(new ArrayList<>(other.filesystem.getAllowWrite()));
			this.filesystem.setDenyRead(new ArrayList<>(other.filesystem.getDenyRead()));
			this.filesystem.setDenyWrite(new ArrayList<>(other.filesystem.getDenyWrite()));
			this.filesystem.setAllowRead(new ArrayList<>(other.filesystem.getAllowRead()));
			this.network.setAllowedDomains(new ArrayList<>(other.network.getAllowedDomains()));
			this.network.setDeniedDomains(new ArrayList<>(other.network.getDeniedDomains()));
			this.network.setAllowUnixSockets(new ArrayList<>(other.network.getAllowUnixSockets()));
			this.network.setHost(other.network.isHost());
			this.network.setMaxConnections(other.network.getMaxConnections());
		}

	}

	/**
	 * The file system of a sandboxed server: read-only but for these paths, its working
	 * directory and a private /tmp.
	 */
	public static class Filesystem {

		/**
		 * Paths the server may write (~ for the user's home).
		 */
		private List<String> allowWrite = new ArrayList<>();

		/**
		 * Paths hidden from the server, on top of the home's credential stores and the
		 * application's configuration.
		 */
		private List<String> denyRead = new ArrayList<>();

		/**
		 * Paths the server may read although the defaults hide them (e.g. ~/.npmrc).
		 */
		private List<String> allowRead = new ArrayList<>();

		/**
		 * Paths read-only even inside an allow-write path.
		 */
		private List<String> denyWrite = new ArrayList<>();

		public List<String> getAllowWrite() {
			return this.allowWrite;
		}

		public void setAllowWrite(List<String> allowWrite) {
			this.allowWrite = allowWrite;
		}

		public List<String> getDenyRead() {
			return this.denyRead;
		}

		public void setDenyRead(List<String> denyRead) {
			this.denyRead = denyRead;
		}

		public List<String> getAllowRead() {
			return this.allowRead;
		}

		public void setAllowRead(List<String> allowRead) {
			this.allowRead = allowRead;
		}

		public List<String> getDenyWrite() {
			return this.denyWrite;
		}

		public void setDenyWrite(List<String> denyWrite) {
			this.denyWrite = denyWrite;
		}

	}

	/**
	 * The network of a sandboxed server.
	 */
	public static class Network {

		/**
		 * Domains the server may reach through a filtering proxy: empty for no network, *
		 * for any public host, names (*.example.com for subdomains) for only those.
		 */
		private List<String> allowedDomains = new ArrayList<>();

		/**
		 * Domains the server may not reach even where allowed.
		 */
		private List<String> deniedDomains = new ArrayList<>();

		/**
		 * Unix sockets of the host (paths) the server may connect to.
		 */
		private List<String> allowUnixSockets = new ArrayList<>();

		/**
		 * Whether the server shares the host's network namespace, unfiltered.
		 */
		private boolean host;

		/**
		 * Connections through the filtering proxy at once.
		 */
		private int maxConnections = SandboxSettings.DEFAULT_MAX_PROXY_CONNECTIONS;

		public List<String> getAllowUnixSockets() {
			return this.allowUnixSockets;
		}

		public void setAllowUnixSockets(List<String> allowUnixSockets) {
			this.allowUnixSockets = allowUnixSockets;
		}

		public boolean isHost() {
			return this.host;
		}

		public void setHost(boolean host) {
			this.host = host;
		}

		public int getMaxConnections() {
			return this.maxConnections;
		}

		public void setMaxConnections(int maxConnections) {
			this.maxConnections = maxConnections;
		}

		public List<String> getAllowedDomains() {
			return this.allowedDomains;
		}

		public void setAllowedDomains(List<String> allowedDomains) {
			this.allowedDomains = allowedDomains;
		}

		public List<String> getDeniedDomains() {
			return this.deniedDomains;
		}

		public void setDeniedDomains(List<String> deniedDomains) {
			this.deniedDomains = deniedDomains;
		}

	}

	/**
	 * Limits of a server's process tree; 0 for no limit.
	 */
	public static class Limits {

		/**
		 * Memory the server may allocate (outside a container: its data segment).
		 */
		private DataSize memory = DataSize.ofBytes(0);

		/**
		 * CPU time the server may use in all.
		 */
		private Duration cpuTime = Duration.ZERO;

		/**
		 * Processes at once (outside a container: of the user, which root ignores).
		 */
		private int processes;

		/**
		 * Files open at once per process.
		 */
		private int openFiles;

		/**
		 * Largest file the server may write.
		 */
		private DataSize fileSize = DataSize.ofBytes(0);

		public DataSize getMemory() {
			return this.memory;
		}

		public void setMemory(DataSize memory) {
			this.memory = memory;
		}

		public Duration getCpuTime() {
			return this.cpuTime;
		}

		public void setCpuTime(Duration cpuTime) {
			this.cpuTime = cpuTime;
		}

		public int getProcesses() {
			return this.processes;
		}

		public void setProcesses(int processes) {
			this.processes = processes;
		}

		public int getOpenFiles() {
			return this.openFiles;
		}

		public void setOpenFiles(int openFiles) {
			this.openFiles = openFiles;
		}

		public DataSize getFileSize() {
			return this.fileSize;
		}

		public void setFileSize(DataSize fileSize) {
			this.fileSize = fileSize;
		}

	}

	/**
	 * A server run in a container by an engine's CLI ({@code docker run -i IMAGE}).
	 */
	public static class Container {

		/**
		 * Engine whose CLI the command is: auto to decide by the command's file name,
		 * none to run it as any other command.
		 */
		private ContainerEngine engine = ContainerEngine.AUTO;

		/**
		 * Whether --init is added where the arguments of run lack it.
		 */
		private boolean init = true;

		/**
		 * Whether --rm is added where the arguments of run lack it.
		 */
		private boolean remove = true;

		public ContainerEngine getEngine() {
			return this.engine;
		}

		public void setEngine(ContainerEngine engine) {
			this.engine = engine;
		}

		public boolean isInit() {
			return this.init;
		}

		public void setInit(boolean init) {
			this.init = init;
		}

		public boolean isRemove() {
			return this.remove;
		}

		public void setRemove(boolean remove) {
			this.remove = remove;
		}

	}

	/**
	 * The pool of a server with keep-alive false.
	 */
	public static class Pool {

		/**
		 * Processes kept started and initialized, each for one next session; 0 for none.
		 */
		private int minIdle;

		public int getMinIdle() {
			return this.minIdle;
		}

		public void setMinIdle(int minIdle) {
			this.minIdle = minIdle;
		}

	}

	/**
	 * A Java MCP server run with this JVM's java launcher.
	 */
	public static class Java {

		/**
		 * Main class to run from the application's own class path.
		 */
		private @Nullable String mainClass;

		/**
		 * Jar to run with -jar.
		 */
		private @Nullable String jar;

		/**
		 * Options for the child JVM, such as -Xmx64m.
		 */
		private List<String> jvmArgs = new ArrayList<>();

		public @Nullable String getMainClass() {
			return this.mainClass;
		}

		public void setMainClass(@Nullable String mainClass) {
			this.mainClass = mainClass;
		}

		public @Nullable String getJar() {
			return this.jar;
		}

		public void setJar(@Nullable String jar) {
			this.jar = jar;
		}

		public List<String> getJvmArgs() {
			return this.jvmArgs;
		}

		public void setJvmArgs(List<String> jvmArgs) {
			this.jvmArgs = jvmArgs;
		}

		boolean isSet() {
			return this.mainClass != null || this.jar != null || !this.jvmArgs.isEmpty();
		}

	}

	/**
	 * The stop ladder.
	 */
	public static class Shutdown {

		/**
		 * How long a stop waits for requests in flight.
		 */
		private Duration drainTimeout = Duration.ofSeconds(5);

		/**
		 * How long to wait for the child to exit after its stdin is closed.
		 */
		private Duration eofTimeout = Duration.ofSeconds(2);

		/**
		 * How long to wait after SIGTERM to the process tree before SIGKILL.
		 */
		private Duration termTimeout = Duration.ofSeconds(2);

		public Duration getDrainTimeout() {
			return this.drainTimeout;
		}

		public void setDrainTimeout(Duration drainTimeout) {
			this.drainTimeout = drainTimeout;
		}

		public Duration getEofTimeout() {
			return this.eofTimeout;
		}

		public void setEofTimeout(Duration eofTimeout) {
			this.eofTimeout = eofTimeout;
		}

		public Duration getTermTimeout() {
			return this.termTimeout;
		}

		public void setTermTimeout(Duration termTimeout) {
			this.termTimeout = termTimeout;
		}

	}

	/**
	 * Restarts of a keep-alive server.
	 */
	public static class Restart {

		/**
		 * When a server that exited is restarted.
		 */
		private RestartPolicy policy = RestartPolicy.ON_FAILURE;

		/**
		 * Restarts allowed within the window; past it the server is FAILED.
		 */
		private int maxRestarts = 5;

		/**
		 * Window over which restarts are counted.
		 */
		private Duration window = Duration.ofMinutes(1);

		/**
		 * Delay before the first restart, doubled for each further one.
		 */
		private Duration initialBackoff = Duration.ofMillis(500);

		/**
		 * Longest delay between restarts.
		 */
		private Duration maxBackoff = Duration.ofSeconds(30);

		public RestartPolicy getPolicy() {
			return this.policy;
		}

		public void setPolicy(RestartPolicy policy) {
			this.policy = policy;
		}

		public int getMaxRestarts() {
			return this.maxRestarts;
		}

		public void setMaxRestarts(int maxRestarts) {
			this.maxRestarts = maxRestarts;
		}

		public Duration getWindow() {
			return this.window;
		}

		public void setWindow(Duration window) {
			this.window = window;
		}

		public Duration getInitialBackoff() {
			return this.initialBackoff;
		}

		public void setInitialBackoff(Duration initialBackoff) {
			this.initialBackoff = initialBackoff;
		}

		public Duration getMaxBackoff() {
			return this.maxBackoff;
		}

		public void setMaxBackoff(Duration maxBackoff) {
			this.maxBackoff = maxBackoff;
		}

	}

	/**
	 * Health checks.
	 */
	public static class Health {

		/**
		 * How often a running server is pinged; 0 for no pings (process liveness only).
		 */
		private Duration pingInterval = Duration.ofSeconds(30);

		/**
		 * How long a ping may take.
		 */
		private Duration pingTimeout = Duration.ofSeconds(5);

		/**
		 * Failed pings in a row that make the server DOWN.
		 */
		private int failureThreshold = 3;

		public Duration getPingInterval() {
			return this.pingInterval;
		}

		public void setPingInterval(Duration pingInterval) {
			this.pingInterval = pingInterval;
		}

		public Duration getPingTimeout() {
			return this.pingTimeout;
		}

		public void setPingTimeout(Duration pingTimeout) {
			this.pingTimeout = pingTimeout;
		}

		public int getFailureThreshold() {
			return this.failureThreshold;
		}

		public void setFailureThreshold(int failureThreshold) {
			this.failureThreshold = failureThreshold;
		}

	}

	/**
	 * The child's stderr.
	 */
	public static class Stderr {

		/**
		 * Level at which stderr lines are logged to logger mcp.stdio.NAME; off to drop
		 * them.
		 */
		private LogLevel level = LogLevel.INFO;

		/**
		 * Last stderr lines kept for health details and error messages.
		 */
		private int tailLines = 50;

		public LogLevel getLevel() {
			return this.level;
		}

		public void setLevel(LogLevel level) {
			this.level = level;
		}

		public int getTailLines() {
			return this.tailLines;
		}

		public void setTailLines(int tailLines) {
			this.tailLines = tailLines;
		}

	}

	/**
	 * The gateway: every managed server at {@code base-path/NAME} over MCP's Streamable
	 * HTTP, in a servlet web application.
	 */
	public static class Gateway {

		/**
		 * Whether the gateway serves the managed servers over HTTP.
		 */
		private boolean enabled;

		/**
		 * Path under which each server is served, at base-path/NAME.
		 */
		private String basePath = "/mcp";

		/**
		 * Servers served; empty for all of them.
		 */
		private List<String> servers = new ArrayList<>();

		/**
		 * How long a session may go without a request or a message on its streams before
		 * it ends.
		 */
		private Duration sessionIdleTimeout = Duration.ofMinutes(30);

		/**
		 * Most sessions open at once, over all servers; past it a new one gets 503.
		 */
		private int maxSessions = 64;

		/**
		 * SSE events a session keeps for a client that resumes with Last-Event-ID.
		 */
		private int eventBuffer = 256;

		/**
		 * Largest request body accepted, in bytes; a larger one gets 413.
		 */
		private int maxMessageSize = 4 * 1024 * 1024;

		/**
		 * Host names (Host header, port aside) the gateway answers; others get 403
		 * against DNS rebinding.
		 */
		private List<String> allowedHosts = new ArrayList<>(List.of("localhost", "127.0.0.1", "[::1]"));

		/**
		 * Origins a browser may call from; empty for those of the allowed hosts.
		 */
		private List<String> allowedOrigins = new ArrayList<>();

		/**
		 * Prefix of every session id this instance issues; the host name by default.
		 */
		private @Nullable String instanceId;

		/**
		 * How long shutdown lets requests in flight finish, new sessions refused, before
		 * it ends the sessions and stops their processes.
		 */
		private Duration drainTimeout = Duration.ofSeconds(20);

		/**
		 * Whether the gateway serves without authenticating its callers, whatever auth
		 * says; never implied, on loopback too.
		 */
		private boolean allowUnauthenticated;

		/**
		 * How callers authenticate: oauth2 (Spring Security's resource server), token (a
		 * static bearer token) or none (only with allow-unauthenticated).
		 */
		private GatewayAuth auth = GatewayAuth.OAUTH2;

		/**
		 * With auth token: the secret clients send as their bearer token.
		 */
		private @Nullable String token;

		/**
		 * Origin clients use (https://mcp.example.com): a server's canonical URI, the
		 * audience its tokens name, is public-url + base-path + /NAME.
		 */
		private @Nullable URI publicUrl;

		/**
		 * Scopes a token needs, by server name; a token without them gets 403.
		 */
		private Map<String, List<String>> scopes = new LinkedHashMap<>();

		/**
		 * Most sessions one authenticated caller may have open at once.
		 */
		private int maxSessionsPerSubject = 16;

		/**
		 * What a keep-alive false server's session runs on, by server name: a process of
		 * its own (session, the default) or its caller's own process, shared by that
		 * caller's sessions (subject).
		 */
		private Map<String, ProcessPer> processPer = new LinkedHashMap<>();

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public String getBasePath() {
			return this.basePath;
		}

		public void setBasePath(String basePath) {
			this.basePath = basePath;
		}

		public List<String> getServers() {
			return this.servers;
		}

		public void setServers(List<String> servers) {
			this.servers = servers;
		}

		public Duration getSessionIdleTimeout() {
			return this.sessionIdleTimeout;
		}

		public void setSessionIdleTimeout(Duration sessionIdleTimeout) {
			this.sessionIdleTimeout = sessionIdleTimeout;
		}

		public int getMaxSessions() {
			return this.maxSessions;
		}

		public void setMaxSessions(int maxSessions) {
			this.maxSessions = maxSessions;
		}

		public int getEventBuffer() {
			return this.eventBuffer;
		}

		public void setEventBuffer(int eventBuffer) {
			this.eventBuffer = eventBuffer;
		}

		public int getMaxMessageSize() {
			return this.maxMessageSize;
		}

		public void setMaxMessageSize(int maxMessageSize) {
			this.maxMessageSize = maxMessageSize;
		}

		public List<String> getAllowedHosts() {
			return this.allowedHosts;
		}

		public void setAllowedHosts(List<String> allowedHosts) {
			this.allowedHosts = allowedHosts;
		}

		public List<String> getAllowedOrigins() {
			return this.allowedOrigins;
		}

		public void setAllowedOrigins(List<String> allowedOrigins) {
			this.allowedOrigins = allowedOrigins;
		}

		public Duration getDrainTimeout() {
			return this.drainTimeout;
		}

		public void setDrainTimeout(Duration drainTimeout) {
			this.drainTimeout = drainTimeout;
		}

		public @Nullable String getInstanceId() {
			return this.instanceId;
		}

		public void setInstanceId(@Nullable String instanceId) {
			this.instanceId = instanceId;
		}

		public boolean isAllowUnauthenticated() {
			return this.allowUnauthenticated;
		}

		public void setAllowUnauthenticated(boolean allowUnauthenticated) {
			this.allowUnauthenticated = allowUnauthenticated;
		}

		public GatewayAuth getAuth() {
			return this.auth;
		}

		public void setAuth(GatewayAuth auth) {
			this.auth = auth;
		}

		public @Nullable String getToken() {
			return this.token;
		}

		public void setToken(@Nullable String token) {
			this.token = token;
		}

		public @Nullable URI getPublicUrl() {
			return this.publicUrl;
		}

		public void setPublicUrl(@Nullable URI publicUrl) {
			this.publicUrl = publicUrl;
		}

		public Map<String, List<String>> getScopes() {
			return this.scopes;
		}

		public void setScopes(Map<String, List<String>> scopes) {
			this.scopes = scopes;
		}

		public int getMaxSessionsPerSubject() {
			return this.maxSessionsPerSubject;
		}

		public void setMaxSessionsPerSubject(int maxSessionsPerSubject) {
			this.maxSessionsPerSubject = maxSessionsPerSubject;
		}

		public Map<String, ProcessPer> getProcessPer() {
			return this.processPer;
		}

		public void setProcessPer(Map<String, ProcessPer> processPer) {
			this.processPer = processPer;
		}

	}

	/**
	 * How the gateway's callers authenticate.
	 */
	public enum GatewayAuth {

		/** Spring Security's OAuth 2.1 resource server: audience-bound JWTs. */
		OAUTH2,

		/** A static bearer token from configuration. */
		TOKEN,

		/** No authentication: only with allow-unauthenticated. */
		NONE

	}

	/**
	 * What a gateway session of a keep-alive false server runs on.
	 */
	public enum ProcessPer {

		/** A process of the session's own. */
		SESSION,

		/** The authenticated caller's own process, shared by its sessions. */
		SUBJECT

	}

}
