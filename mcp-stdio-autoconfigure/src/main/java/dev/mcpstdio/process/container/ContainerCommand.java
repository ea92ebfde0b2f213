package dev.mcpstdio.process.container;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * A command line that runs a container with an engine's CLI ({@code docker run ...},
 * {@code podman container run ...}), and its rewrite: the starter's options inserted
 * right after {@code run} (labels naming the owner and the server, a name and a cid file
 * where the user set none, {@code --init} and {@code --rm} where absent), the user's
 * arguments kept as written.
 */
final class ContainerCommand {

	/** Options that may be given many times: the starter's are added to the user's. */
	private static final Set<String> REPEATED = Set.of("--security-opt", "--ulimit", "--tmpfs");

	/**
	 * Global options of docker, podman and nerdctl that take a value as the next
	 * argument.
	 */
	private static final Set<String> GLOBAL_OPTIONS_WITH_VALUE = Set.of("-c", "--context", "-H", "--host", "--config",
			"-l", "--log-level", "--tlscacert", "--tlscert", "--tlskey", "--connection", "--url", "--identity",
			"--root", "--runroot", "--storage-driver", "--storage-opt", "--cgroup-manager", "--events-backend",
			"--runtime", "--runtime-flag", "--tmpdir", "--conmon", "--network-cmd-path", "--network-config-dir",
			"--module", "--ssh", "--volumepath", "--imagestore", "--hooks-dir", "--registries-conf", "-n",
			"--namespace", "-a", "--address", "--snapshotter", "--cni-path", "--cni-netconfpath", "--data-root",
			"--hosts-dir");

	/** Long options of docker, podman and nerdctl {@code run} that take no value. */
	private static final Set<String> RUN_FLAGS = Set.of("--detach", "--disable-content-trust", "--env-host", "--help",
			"--http-proxy", "--init", "--interactive", "--no-healthcheck", "--no-hosts", "--no-hostname",
			"--oom-kill-disable", "--passwd", "--privileged", "--publish-all", "--quiet", "--read-only",
			"--read-only-tmpfs", "--replace", "--rm", "--rmi", "--rootfs", "--sig-proxy", "--tls-verify", "--tty",
			"--unsetenv-all", "--use-api-socket");

	/** Letters of the short options of {@code run} that take no value. */
	private static final String SHORT_RUN_FLAGS = "diPqt";

	private final ContainerEngine engine;

	private final List<String> command;

	private final int runIndex;

	private ContainerCommand(ContainerEngine engine, List<String> command, int runIndex) {
		this.engine = engine;
		this.command = command;
		this.runIndex = runIndex;
	}

	/**
	 * The container command a command line is, if it is one.
	 * @param command the executable and its arguments
	 * @param settings the server's container settings
	 * @return the container command, or empty for a command that is not an engine's CLI
	 * running {@code run}
	 */
	static Optional<ContainerCommand> of(List<String> command, ContainerSettings settings) {
		if (command.isEmpty()) {
			return Optional.empty();
		}
		return settings.engine().resolve(command.get(0)).flatMap((engine) -> {
			int run = runIndex(command);
			return (run > 0) ? Optional.of(new ContainerCommand(engine, command, run)) : Optional.empty();
		});
	}

	ContainerEngine engine() {
		return this.engine;
	}

	/**
	 * The global options before {@code run} ({@code --context remote}, {@code --root
	 * DIR}), which the starter's own commands for the container need as well.
	 */
	List<String> globalOptions() {
		int end = isSubcommand(this.command, this.runIndex - 1)
				&& this.command.get(this.runIndex - 1).equals("container") ? this.runIndex - 1 : this.runIndex;
		return this.command.subList(1, end);
	}

	/**
	 * Whether the argument at the index stands where a subcommand or a global option may,
	 * rather than as the value of one ({@code -H container}).
	 */
	private static boolean isSubcommand(List<String> command, int index) {
		int i = 1;
		while (i < index) {
			i += GLOBAL_OPTIONS_WITH_VALUE.contains(command.get(i)) ? 2 : 1;
		}
		return i == index;
	}

	/**
	 * The command line with the starter's options inserted right after {@code run}.
	 * @param labels the labels to add
	 * @param name the container's name, or {@code null} to add none
	 * @param cidFile where the engine writes the container's id, or {@code null} to add
	 * none
	 * @param settings which of {@code --init} and {@code --rm} to add where absent
	 * @param confinement options ({@code --name=value}) that confine the container, each
	 * added unless the user gave that option ({@code --security-opt}, {@code --ulimit}
	 * and {@code --tmpfs}, which repeat, always)
	 * @return the command line to launch
	 */
	List<String> rewrite(Map<String, String> labels, @Nullable String name, @Nullable Path cidFile,
			ContainerSettings settings, List<String> confinement) {
		List<String> options = new ArrayList<>();
		labels.forEach((key, value) -> {
			options.add("--label");
			options.add(key + "=" + value);
		});
		if (name != null) {
			options.add("--name");
			options.add(name);
		}
		if (cidFile != null) {
			options.add("--cidfile");
			options.add(cidFile.toString());
		}
		if (settings.init() && !hasRunOption("--init")) {
			options.add("--init");
		}
		if (settings.remove() && !hasRunOption("--rm")) {
			options.add("--rm");
		}
		for (String option : confinement) {
			String optionName = option.contains("=") ? option.substring(0, option.indexOf('=')) : option;
			if (REPEATED.contains(optionName) || !hasRunOption(optionName)) {
				options.add(option);
			}
		}
		List<String> rewritten = new ArrayList<>(this.command.subList(0, this.runIndex + 1));
		rewritten.addAll(options);
		rewritten.addAll(this.command.subList(this.runIndex + 1, this.command.size()));
		return rewritten;
	}

	/** Whether the user named the container ({@code --name}). */
	boolean hasUserName() {
		return hasRunOption("--name");
	}

	/** Whether the user asked for a cid file ({@code --cidfile}). */
	boolean hasUserCidFile() {
		return hasRunOption("--cidfile");
	}

	/**
	 * Whether an option appears among the options of {@code run}, alone or with
	 * {@code =value}; the image and the container's own arguments after it do not count.
	 */
	private boolean hasRunOption(String option) {
		return runOptions().stream().anyMatch((arg) -> arg.equals(option) || arg.startsWith(option + "="));
	}

	/**
	 * The options of {@code run}, up to the image: an option that is not a known flag
	 * takes the next argument as its value. Where a flag unknown here is taken for one
	 * with a value, the scan ends early and at worst an option is added that the user
	 * gave too, which the engines take as the same setting again.
	 */
	private List<String> runOptions() {
		List<String> args = this.command.subList(this.runIndex + 1, this.command.size());
		int i = 0;
		while (i < args.size() && args.get(i).startsWith("-") && !args.get(i).equals("-")) {
			String arg = args.get(i);
			if (arg.equals("--")) {
				break;
			}
			i += (arg.contains("=") || takesNoNextArgument(arg)) ? 1 : 2;
		}
		return args.subList(0, Math.min(i, args.size()));
	}

	/**
	 * Whether a {@code run} option leaves the next argument alone: a flag, or short
	 * options together whose last one is a flag or whose value is attached ({@code -it},
	 * {@code -p8080:80}).
	 */
	private static boolean takesNoNextArgument(String arg) {
		if (arg.startsWith("--")) {
			return RUN_FLAGS.contains(arg);
		}
		for (int i = 1; i < arg.length(); i++) {
			if (SHORT_RUN_FLAGS.indexOf(arg.charAt(i)) < 0) {
				return i < arg.length() - 1; // the rest of the argument is its value
			}
		}
		return true;
	}

	/**
	 * The index of {@code run}: the first argument that is not a global option (or its
	 * value), after an optional {@code container}; -1 where that is another command.
	 */
	private static int runIndex(List<String> command) {
		for (int i = 1; i < command.size(); i++) {
			String arg = command.get(i);
			if (arg.equals("run")) {
				return i;
			}
			if (arg.equals("container") && i + 1 < command.size() && command.get(i + 1).equals("run")) {
				return i + 1;
			}
			if (!arg.startsWith("-")) {
				return -1;
			}
			if (GLOBAL_OPTIONS_WITH_VALUE.contains(arg)) {
				i++;
			}
		}
		return -1;
	}

}
