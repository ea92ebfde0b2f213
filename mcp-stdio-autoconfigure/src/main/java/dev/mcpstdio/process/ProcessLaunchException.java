package dev.mcpstdio.process;

import java.util.List;

/**
 * A child process could not be launched. The message names the server, the command
 * (secret-looking arguments masked) and what to change.
 */
public class ProcessLaunchException extends RuntimeException {

	private final String serverName;

	private final List<String> command;

	public ProcessLaunchException(String serverName, List<String> command, String message, Throwable cause) {
		super(message, cause);
		this.serverName = serverName;
		this.command = SecretMasking.maskCommand(command);
	}

	public ProcessLaunchException(String serverName, List<String> command, String message) {
		super(message);
		this.serverName = serverName;
		this.command = SecretMasking.maskCommand(command);
	}

	/** The message, which always names the server and what to change. */
	@Override
	public String getMessage() {
		String message = super.getMessage();
		return (message != null) ? message : "MCP server '" + this.serverName + "' could not be started";
	}

	public String getServerName() {
		return this.serverName;
	}

	/** The command line, with secret-looking arguments masked. */
	public List<String> getCommand() {
		return this.command;
	}

}
