package dev.mcpstdio.server;

/**
 * Whether a keep-alive server that exited on its own is started again.
 */
public enum RestartPolicy {

	/** Never restart. */
	NEVER {
		@Override
		public boolean shouldRestart(int exitCode) {
			return false;
		}
	},

	/** Restart when it exited with a non-zero code. */
	ON_FAILURE {
		@Override
		public boolean shouldRestart(int exitCode) {
			return exitCode != 0;
		}
	},

	/** Restart whatever its exit code. */
	ALWAYS {
		@Override
		public boolean shouldRestart(int exitCode) {
			return true;
		}
	};

	/**
	 * Whether a server that exited with this code is restarted.
	 * @param exitCode the exit code, -1 when unknown
	 * @return whether to restart it
	 */
	public abstract boolean shouldRestart(int exitCode);

}
