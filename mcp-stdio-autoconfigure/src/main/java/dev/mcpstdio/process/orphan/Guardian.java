package dev.mcpstdio.process.orphan;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import dev.mcpstdio.process.platform.Platform;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small watchdog process, one per JVM, that kills the process groups of our children
 * and removes their containers when this JVM dies, however it dies. It reads
 * {@code + <group>} and {@code - <group>} lines, and {@code c+ <run token> <engine>
 * <variables> -- <CLI>} (the engine's variables where the server's environment differs
 * from the JVM's: {@code NAME=value} to set, {@code -NAME} to unset; then the executable
 * and its global options; each word quoted for the shell) and {@code c- <run token>}
 * lines for containers, on its stdin; the JVM holds the other end, so the JVM's death,
 * even by SIGKILL, is an EOF to it, upon which it sends SIGKILL to every group it still
 * tracks and removes every container it still tracks with the engine's CLI, as the server
 * reached it (the variables exported, never on a command line). It runs in a session of
 * its own and ignores SIGINT, SIGHUP and SIGTERM, so a Ctrl-C at a terminal or a signal
 * to the JVM's group does not take it down first.
 */
final class Guardian {

	private static final Logger logger = LoggerFactory.getLogger(Guardian.class);

	static final String SCRIPT = """
			trap '' INT HUP TERM PIPE
			groups=''
			procs=''
			containers=''
			nl='
			'
			while read -r op id rest; do
			  case "$op" in
			    +) groups="$groups $id" ;;
			    -) kept=''; for g in $groups; do [ "$g" = "$id" ] || kept="$kept $g"; done; groups=$kept ;;
			    p+) procs="$procs $id" ;;
			    p-) kept=''; for p in $procs; do [ "$p" = "$id" ] || kept="$kept $p"; done; procs=$kept ;;
			    c+) containers="$containers$nl$id $rest" ;;
			    c-) kept=''
			        while read -r c r; do [ -z "$c" ] || [ "$c" = "$id" ] || kept="$kept$nl$c $r"; done <<EOF
			$containers
			EOF
			        containers=$kept ;;
			  esac
			done
			for g in $groups; do kill -9 "-$g" 2>/dev/null; done
			for p in $procs; do kill -9 "$p" 2>/dev/null; done
			while read -r token kind cli; do
			  [ -n "$token" ] || continue
			  (
			    eval "set -- $cli"
			    while [ "$#" -gt 0 ] && [ "$1" != -- ]; do
			      case "$1" in -*) unset "${1#-}" ;; *) export "$1" ;; esac; shift
			    done
			    shift
			    ids=$("$@" ps -a -q --no-trunc --filter "label=dev.mcpstdio.run=$token" 2>/dev/null)
			    [ -z "$ids" ] && exit 0
			    if [ "$kind" = podman ]; then "$@" rm -f -t 0 $ids; else "$@" rm -f $ids; fi
			  ) >/dev/null 2>&1 </dev/null &
			done <<EOF
			$containers
			EOF
			wait
			""";

	private final Process process;

	private final OutputStream commands;

	private boolean broken;

	private Guardian(Process process) {
		this.process = process;
		this.commands = process.getOutputStream();
	}

	/** Starts the guardian where the system has {@code setsid} and {@code /bin/sh}. */
	static Optional<Guardian> start() {
		Optional<Path> setsid = Platform.systemTool("setsid");
		Optional<Path> sh = Platform.systemTool("sh");
		if (Platform.isWindows() || setsid.isEmpty() || sh.isEmpty()) {
			return Optional.empty();
		}
		try {
			Process process = new ProcessBuilder(setsid.get().toString(), sh.get().toString(), "-c", SCRIPT,
					"mcp-stdio-guardian")
				.redirectOutput(ProcessBuilder.Redirect.DISCARD)
				.redirectError(ProcessBuilder.Redirect.DISCARD)
				.start();
			return Optional.of(new Guardian(process));
		}
		catch (IOException ex) {
			logger.warn("Could not start the mcp-stdio guardian; children are still reaped by the ledger", ex);
			return Optional.empty();
		}
	}

	ProcessHandle handle() {
		return this.process.toHandle();
	}

	void track(long groupId) {
		send("+ " + groupId);
	}

	void untrack(long groupId) {
		send("- " + groupId);
	}

	/** Has the guardian kill one process (not its group) if this JVM dies. */
	void trackProcess(long pid) {
		send("p+ " + pid);
	}

	void untrackProcess(long pid) {
		send("p- " + pid);
	}

	void trackContainer(String runToken, String engine, List<String> command, Object container) {
		if (command.stream().anyMatch((word) -> word.indexOf('\n') >= 0 || word.indexOf('\r') >= 0)) {
			logger.warn("The mcp-stdio guardian cannot remove {} if this JVM dies: its command or engine variables"
					+ " have a line break", container);
			return;
		}
		send("c+ " + runToken + " " + engine + " "
				+ command.stream().map(Guardian::shellQuoted).collect(Collectors.joining(" ")));
	}

	/**
	 * A word quoted for {@code sh}: in single quotes, each quote in it written as
	 * {@code '\''}.
	 */
	static String shellQuoted(String word) {
		return "'" + word.replace("'", "'\\''") + "'";
	}

	void untrackContainer(String runToken) {
		send("c- " + runToken);
	}

	private synchronized void send(String line) {
		if (this.broken) {
			return;
		}
		try {
			this.commands.write((line + "\n").getBytes(StandardCharsets.UTF_8));
			this.commands.flush();
		}
		catch (IOException ex) {
			this.broken = true;
			logger.warn("The mcp-stdio guardian (pid {}) is gone; children are still reaped by the ledger",
					this.process.pid());
		}
	}

}
